/**
 * Loaded only when a learner reveals a lab's solution: sends the quiz questions about this
 * lab back to the review queue (src/quiz: flagForReview, relatedToLab). It pulls in the quiz
 * code and fetches the bank, which is why the lab page imports it lazily.
 */
import { flagForReview, relatedToLab } from '../../quiz';
import { fetchBank, storage } from '../quiz/client';

/** How many questions were flagged. */
export async function flagLabQuestions(slug: string, now: number): Promise<number> {
  const ids = relatedToLab(await fetchBank(), slug);
  flagForReview(storage(), ids, now);
  return ids.length;
}
