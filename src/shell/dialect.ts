import { imageProfile } from '../engine';
import type { ShellPlace } from './types';

/**
 * just-bash speaks bash. A pod's shell is the image's /bin/sh: busybox ash in busybox and
 * Alpine images, dash in Debian-based ones (nginx, httpd). They word "not found" differently,
 * and a learner reads these in every pod:
 *   bash:  bash: foo: command not found
 *   ash:   sh: foo: not found
 *   dash:  sh: 1: foo: not found        (1 is the line number of the command)
 * Exit status is 127 in all three.
 */
export function inShellDialect(stderr: string, place: ShellPlace): string {
  if (place.kind !== 'pod') return stderr;
  return notFoundAs(stderr, imageProfile(place.image).prompt);
}

/** bash's "command not found" as /bin/sh words it: busybox ash's or Debian's dash's. */
export function notFoundAs(stderr: string, sh: 'ash' | 'dash'): string {
  if (!stderr.includes(': command not found')) return stderr;
  return stderr.replace(/^bash: (.+): command not found$/gm, (_, name: string) => (sh === 'dash' ? `sh: 1: ${name}: not found` : `sh: ${name}: not found`));
}
