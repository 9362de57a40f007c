/** Grading of choice questions: exact set match, as interviews score them. */
export function gradeChoices(correct: number | readonly number[], picked: readonly number[]): 'correct' | 'incorrect' | 'partial' {
  const want = new Set(typeof correct === 'number' ? [correct] : correct);
  const got = new Set(picked);
  const hits = [...got].filter((i) => want.has(i)).length;
  if (hits === want.size && got.size === want.size) return 'correct';
  if (hits > 0 && [...got].every((i) => want.has(i))) return 'partial';
  return 'incorrect';
}
