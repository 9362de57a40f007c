import { getCollection, type CollectionEntry } from 'astro:content';
import { TOPICS, type Topic } from '../../lessons/topics';

/** Lessons in course order; drafts only in dev. */
export async function lessonsInOrder(): Promise<CollectionEntry<'lessons'>[]> {
  const all = await getCollection('lessons', (l) => import.meta.env.DEV || !l.data.draft);
  return all.sort((a, b) => a.data.order - b.data.order);
}

export async function labsInOrder(): Promise<CollectionEntry<'labs'>[]> {
  const rank = { basic: 0, intermediate: 1, advanced: 2 } as const;
  const all = await getCollection('labs');
  return all.sort((a, b) => rank[a.data.level] - rank[b.data.level] || a.data.title.localeCompare(b.data.title));
}

export async function questionsByTopic(): Promise<Map<Topic, CollectionEntry<'quiz'>[]>> {
  const all = await getCollection('quiz');
  const byTopic = new Map<Topic, CollectionEntry<'quiz'>[]>();
  for (const topic of Object.keys(TOPICS) as Topic[]) {
    const qs = all.filter((q) => q.data.topic === topic);
    if (qs.length > 0) byTopic.set(topic, qs);
  }
  return byTopic;
}

/** The first sentence-ish of a markdown prompt, as plain text for link lists. */
export function plainPrompt(md: string, max = 140): string {
  const text = md.replace(/`([^`]*)`/g, '$1').replace(/[*_#>]/g, '').replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
