/**
 * The terminal's public face. Pure parts (line editing, history, completion grammar, the line
 * discipline) run anywhere; `./xterm` is the browser binding and is imported on its own by
 * client code so that Node (tests, Astro's build) never loads xterm.js.
 */
export { ShellTerminal, spokenText, stylePrompt } from './shell-terminal';
export type { RunResult, ShellBackend, TerminalLike, ShellTerminalOptions } from './shell-terminal';
export { History } from './history';
export type { HistoryStorage } from './history';
export { LineBuffer } from './line-buffer';
export { parseLine, candidates, applyCompletion, formatMatches, commonPrefix } from './completion';
export type { CompletionQuery, CompletionSource, ParsedLine, Completion } from './completion';
