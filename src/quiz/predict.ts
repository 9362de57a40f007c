/**
 * Predict-the-output questions: how the engine's output becomes the truth a learner is
 * graded against. Pure (the browser grades typed answers with it); running the scenario
 * through the engine is build-time only (scenario.ts).
 */

/** An output as compared: trailing blanks of each line and blank lines at either end dropped. */
export function normalizeOutput(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/**
 * The truth of an output: group 1 of `extract`'s first match (multi-line mode, so `^` and
 * `$` are line ends), or the whole normalised output. Null when `extract` finds nothing.
 */
export function truthOf(output: string, extract?: string): string | null {
  if (extract === undefined) return normalizeOutput(output);
  const m = new RegExp(extract, 'm').exec(output);
  const v = m?.[1]?.trim();
  return v ? v : null;
}

/** How a choice says "the command prints nothing" (a choice cannot be empty). */
export const NO_OUTPUT = '(no output)';

/** The indexes of the choices equal to the truth (a sound question has exactly one). */
export function matchingChoices(choices: readonly string[], truth: string): number[] {
  const want = normalizeOutput(truth);
  return choices.flatMap((c, i) => ((c.trim() === NO_OUTPUT ? '' : normalizeOutput(c)) === want ? [i] : []));
}

/** A typed value as compared: no surrounding quotes or backticks, single spaces, any case. */
const typed = (s: string) =>
  s
    .trim()
    .replace(/^([`'"])(.*)\1$/s, '$2')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();

/** Whether a typed answer says the truth (`kube-svc-abc` for `KUBE-SVC-ABC`, `"3"` for `3`). */
export function typedMatches(answer: string, truth: string): boolean {
  const a = typed(answer);
  return a !== '' && a === typed(truth);
}
