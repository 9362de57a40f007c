/** The shell's public face: a terminal session over just-bash with our commands. */
export { createSession } from './session';
export { terminalText, terminalParts } from './display';
export type { Session, SessionOptions, RunOptions, RealTime, LineResult } from './session';
export type { CommandModule, CommandResult, CommandContext, ExternalEditor, ShellPlace, TerminalSize } from './types';
export { needsMoreInput, groupLines } from './continuation';
// kubectl's JSONPath templates, for lab checks that read an object's field as `kubectl get -o jsonpath` does.
export { runTemplate as jsonPath, JsonPathError } from './commands/kubectl/printers/jsonpath';
// What `ipvsadm -Sn` and `ipset save` print on a NodeHost (the scale explorer sizes them).
export { ipvsadmSaveText, ipsetSaveText } from './nodetext';
// `ipvsadm` over any node's IPVS table: the lab's mode comparison prints a shadow node's with it.
export { run as ipvsadm } from './commands/ipvsadm/ipvsadm';
export { ipvsView } from './commands/iptables/host';
// For tests of anything that runs lines: real time the test moves by hand.
export { fakeTime } from './fake-time';
