import { gradeChoices } from '../../quiz/grade';

/** Wires the "Check" buttons of choice questions on the quiz page. */
export function bindChoiceQuestions(doc: Document): void {
  for (const form of doc.querySelectorAll<HTMLFormElement>('form[data-answer]')) {
    const answer = JSON.parse(form.dataset.answer!) as number | number[];
    const feedback = form.querySelector<HTMLElement>('[data-feedback]')!;
    const explanation = form.querySelector<HTMLElement>('[data-explanation]')!;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const picked = [...form.querySelectorAll<HTMLInputElement>('input:checked')].map((i) => Number(i.value));
      if (picked.length === 0) {
        feedback.textContent = 'Pick an answer first.';
        return;
      }
      const verdict = gradeChoices(answer, picked);
      feedback.dataset.verdict = verdict;
      feedback.textContent =
        verdict === 'correct' ? 'Correct.' : verdict === 'partial' ? 'Partly right: some correct choices are missing.' : 'Not quite.';
      explanation.hidden = false;
    });
  }
}
