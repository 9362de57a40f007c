/**
 * What the lab terminal island shares with the packet-path and compare-modes panels (module
 * signals: one instance per page, since every island imports this one module). The terminal
 * owns the worker: it publishes each command's Traces, bumps `labChanges` after anything that
 * may change the cluster, and lends the panels a way to ask the worker for a mode comparison.
 */
import { signal } from '@preact/signals';
import type { Trace } from '../../engine';
import type { CompareView } from '../../lab/compare';

/** The connections the last command that made any made (the worker keeps the last few). */
export const labTraces = signal<Trace[]>([]);
/** The command line that made them. */
export const tracesLine = signal('');
/** Bumped whenever the worker reports a change (every command, reset, undo, and idle ones such as a pod turning ready). */
export const labChanges = signal(0);
/** Asks the worker for a Service's rules in each mode; undefined until the cluster is up. */
export const compareModes = signal<((service?: string, node?: string) => Promise<CompareView>) | undefined>(undefined);
