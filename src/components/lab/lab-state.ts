/**
 * What the lab page's two islands share (the task list and the terminal): module-level
 * signals, one instance per page because both islands import this one module. The terminal
 * island owns the worker and the save; the task panel shows and changes what is here.
 */
import { signal } from '@preact/signals';
import type { TaskState } from '../../lab/protocol';

/** The tasks' state from the worker's last evaluation; undefined until the cluster is up. */
export const taskStates = signal<TaskState[] | undefined>(undefined);
/** How many hints are open (in order). Saved with the session. */
export const hintsOpen = signal(0);
/** The solution was revealed (after confirming). Saved with the session. */
export const solutionShown = signal(false);
