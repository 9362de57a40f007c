/** The quiz's public face: the bank format, scheduling, sessions, mock interviews, progress. */
export * from './bank';
export * from './match';
export * from './schedule';
export * from './state';
export * from './transfer';
export * from './session';
export * from './select';
export * from './stats';
export * from './mock';
export * from './anki';
export { gradeChoices } from './grade';
export { typedMatches, normalizeOutput } from './predict';
