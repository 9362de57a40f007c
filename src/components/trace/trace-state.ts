/**
 * What the lab terminal island shares with the packet-path and compare-modes panels (module
 * signals: one instance per page, since every island imports this one module). The terminal
 * owns the worker: it publishes each tab's last command's Traces and which tab is shown, bumps
 * `labChanges` after anything that may change the cluster, and lends the panels a way to ask
 * the worker for a mode comparison.
 */
import { signal } from '@preact/signals';
import type { Trace } from '../../engine';
import type { CompareView } from '../../lab/compare';
import { TERMINAL_TABS } from '../lab/workspace';

/** A command line and the connections it made (the worker keeps the last few). */
export interface CommandTraces {
  line: string;
  traces: Trace[];
}

/** Per terminal tab (index = tab): its last command that made connections. */
export const tabTraces = signal<readonly (CommandTraces | undefined)[]>([]);
/** The terminal tab the learner is looking at, and its name: the panel shows its connections. */
export const shownTab = signal<{ index: number; label: string }>({ index: 0, label: TERMINAL_TABS[0]! });
/** Bumped whenever the worker reports a change (every command, reset, undo, and idle ones such as a pod turning ready). */
export const labChanges = signal(0);
/** Asks the worker for a Service's rules in each mode; undefined until the cluster is up. */
export const compareModes = signal<((service?: string, node?: string) => Promise<CompareView>) | undefined>(undefined);
