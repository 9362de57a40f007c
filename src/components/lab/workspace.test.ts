// Which terminal tab the editor's Apply types into (src/components/lab/workspace.ts).
import { describe, expect, it } from 'vitest';
import { applyTarget } from './workspace';

describe('applyTarget', () => {
  it('types into the tab in view when it is at an empty prompt', () => {
    expect(applyTarget(0, ['idle', 'idle'])).toEqual({ tab: 0, queued: false });
    expect(applyTarget(1, ['idle', 'idle'])).toEqual({ tab: 1, queued: false });
    expect(applyTarget(1, ['running', 'idle'])).toEqual({ tab: 1, queued: false });
  });

  it('moves to the other tab when the one in view runs a command (ping, a watch)', () => {
    expect(applyTarget(1, ['idle', 'running'])).toEqual({ tab: 0, queued: false });
    expect(applyTarget(0, ['running', 'idle'])).toEqual({ tab: 1, queued: false });
  });

  it('never types into a here-document: a tab at its > prompt is passed over', () => {
    expect(applyTarget(0, ['continuing', 'idle'])).toEqual({ tab: 1, queued: false });
    expect(applyTarget(0, ['continuing', 'running'])).toEqual({ tab: 1, queued: true });
    expect(applyTarget(0, ['continuing', 'continuing'])).toBeUndefined();
  });

  it('when every tab runs a command, the line waits in the tab in view', () => {
    expect(applyTarget(1, ['running', 'running'])).toEqual({ tab: 1, queued: true });
    expect(applyTarget(0, ['running', 'running'])).toEqual({ tab: 0, queued: true });
  });
});
