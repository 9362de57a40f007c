import { createMarkdownProcessor, type MarkdownProcessor } from '@astrojs/markdown-remark';

/**
 * Renders the markdown fields of labs and quiz questions (task text, prompts, model
 * answers) at build time, with the same code highlighting as lessons.
 */
let processor: Promise<MarkdownProcessor> | undefined;

export async function renderMarkdown(md: string): Promise<string> {
  processor ??= createMarkdownProcessor({
    shikiConfig: { themes: { light: 'github-light-default', dark: 'github-dark-default' }, defaultColor: false },
  });
  const { code } = await (await processor).render(md);
  return code;
}
