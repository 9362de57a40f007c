/** The shell's public face: a terminal session over just-bash with our commands. */
export { createSession } from './session';
export { terminalText, terminalParts } from './display';
export type { Session, SessionOptions } from './session';
export type { CommandModule, CommandResult, CommandContext, ShellPlace } from './types';
export { needsMoreInput, groupLines } from './continuation';
