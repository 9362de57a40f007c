/**
 * What a terminal shows for one command: both streams, in the order a real process writes
 * them. Our commands return stdout and stderr separately, so we order them the way kubectl
 * does: API warnings (`Warning: …`, printed as the response arrives) come before the output,
 * errors after it.
 */
import type { CommandResult } from './types';

export interface TerminalParts {
  /** stderr written before stdout (warnings). */
  before: string;
  stdout: string;
  /** stderr written after stdout (errors, "No resources found"). */
  after: string;
}

/**
 * stderr lines a command writes before its output: API warnings, and kubectl logs' notices
 * about which pod or container it picked (printed before the log stream starts).
 */
const EARLY = [
  /^Warning: /, /^Found \d+ pods, using pod\//, /^Defaulted container "/,
  // kubectl exec -it and ssh -t without a terminal say so before the remote command runs.
  /^Unable to use a TTY - /, /^Pseudo-terminal will not be allocated /,
  // kubectl attach (and run -i) before the session starts.
  /^All commands and output from this session will be recorded /, /^If you don't see a command prompt, /,
  // curl -v: connection, request and response-header lines come before the body; only the
  // closing line (`* Connection #0 to host web left intact`) follows it.
  /^\* (Host |IPv[46]: | {2}Trying |Connected to |using HTTP|Request completely sent off|connect to |Failed to connect|closing connection|Added |Hostname |ALPN|Empty reply|shutting down|The requested URL)/,
  /^[<>] /, /^\{ \[\d+ bytes data\]/,
  // busybox wget: what it says before the download starts.
  /^Connecting to /, /^writing to stdout\n?$/, /^  HTTP\/1\.1 /,
];

export function terminalParts(r: CommandResult): TerminalParts {
  const lines = r.stderr.split(/(?<=\n)/);
  const early = (l: string) => EARLY.some((re) => re.test(l));
  return {
    before: lines.filter(early).join(''),
    stdout: r.stdout,
    after: lines.filter((l) => !early(l)).join(''),
  };
}

export function terminalText(r: CommandResult): string {
  const p = terminalParts(r);
  return p.before + p.stdout + p.after;
}
