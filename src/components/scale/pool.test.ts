// The scale explorer's worker pool, with fake workers that answer when the test says so.
import { describe, expect, it } from 'vitest';
import { poolSize, runSweep, type PoolEvents, type SweepTiming, type WorkerLike } from './pool';
import type { FromWorker, ToWorker } from './protocol';
import { sweepSteps, type ScaleRow, type Step } from './rows';

class FakeWorker implements WorkerLike {
  onmessage: WorkerLike['onmessage'] = null;
  onerror: WorkerLike['onerror'] = null;
  onmessageerror: WorkerLike['onmessageerror'] = null;
  received: ToWorker[] = [];
  terminated = false;
  postMessage(m: ToWorker): void {
    this.received.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
  get current(): ToWorker {
    return this.received[this.received.length - 1]!;
  }
  /** Answer the current request with its row, as if it started at `startedAt` and took `ms`. */
  answer(startedAt = 0, ms = 1): void {
    const { id, mode, services, endpoints } = this.current;
    this.send({ type: 'row', id, row: fakeRow(mode, services, endpoints), startedAt, ms });
  }
  send(m: FromWorker): void {
    this.onmessage?.({ data: m } as MessageEvent<FromWorker>);
  }
}

/** A row whose only meaningful fields are its mode, count and endpoints (the pool never reads the rest). */
function fakeRow(mode: ScaleRow['mode'], services: number, endpoints: number): ScaleRow {
  return {
    mode, services, endpoints, programmed: 0, iptablesRules: 0, ipvsVirtualServers: 0, ipvsRealServers: 0, ipsetEntries: 0,
    nftRules: 0, nftElements: 0, syncMs: 0, applyMs: 0, traversedMean: 0, traversedMax: 0, textBytes: 0, reached: true,
  };
}

function start(counts: number[], size: number) {
  const workers: FakeWorker[] = [];
  const log = { rows: [] as string[], progress: [] as string[], done: undefined as SweepTiming | undefined, errors: [] as string[] };
  const on: PoolEvents = {
    onProgress: (running, done) => log.progress.push(`${running.map((s: Step) => `${s.mode}@${s.services}`).join(' ')} (${done})`),
    onRow: (index, row) => log.rows.push(`${index}:${row.mode}@${row.services}`),
    onDone: (t) => (log.done = t),
    onError: (message, step) => log.errors.push(step ? `${step.mode}@${step.services}: ${message}` : message),
  };
  const cancel = runSweep(sweepSteps(counts), 10, size, () => {
    const w = new FakeWorker();
    workers.push(w);
    return w;
  }, on);
  return { workers, log, cancel };
}

describe('scale worker pool', () => {
  it('uses one worker per core, at most one per mode and per step, at least one', () => {
    expect(poolSize(2, 21)).toBe(2);
    expect(poolSize(16, 21)).toBe(3);
    expect(poolSize(16, 2)).toBe(2);
    expect(poolSize(undefined, 21)).toBe(1);
    expect(poolSize(0, 21)).toBe(1);
  });

  it('hands out the steps in sweep order and places rows that arrive out of order', () => {
    const { workers, log } = start([10, 10_000], 2);
    expect(workers).toHaveLength(2);
    const [a, b] = workers as [FakeWorker, FakeWorker];
    expect([a.current, b.current].map((m) => `${m.mode}@${m.services}/${m.endpoints}`)).toEqual(['iptables@10/10', 'ipvs@10/10']);
    expect(log.progress).toEqual(['iptables@10 ipvs@10 (0)']);
    b.answer(100, 5); // ipvs@10 first: b takes the next step
    expect(b.current).toMatchObject({ mode: 'nftables', services: 10 });
    a.answer(90, 20);
    expect(a.current).toMatchObject({ mode: 'iptables', services: 10_000 });
    b.answer(105, 3);
    expect(b.current).toMatchObject({ mode: 'ipvs', services: 10_000 });
    b.answer(108, 500);
    expect(b.current).toMatchObject({ mode: 'nftables', services: 10_000 });
    a.answer(110, 2_000);
    // Nothing left for a: it is let go at once.
    expect(a.terminated).toBe(true);
    expect(b.terminated).toBe(false);
    expect(log.done).toBeUndefined();
    b.answer(608, 1_800);
    expect(log.rows).toEqual(['1:ipvs@10', '0:iptables@10', '2:nftables@10', '4:ipvs@10000', '3:iptables@10000', '5:nftables@10000']);
    expect(log.errors).toEqual([]);
    // From the first start (90) to the last end (608 + 1,800).
    expect(log.done).toEqual({
      workerMs: 2_318, workers: 2,
      steps: [
        { mode: 'iptables', services: 10, ms: 20 }, { mode: 'ipvs', services: 10, ms: 5 }, { mode: 'nftables', services: 10, ms: 3 },
        { mode: 'iptables', services: 10_000, ms: 2_000 }, { mode: 'ipvs', services: 10_000, ms: 500 }, { mode: 'nftables', services: 10_000, ms: 1_800 },
      ],
    });
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('runs the three modes of one count at once on three workers', () => {
    const { workers, log } = start([10_000], 8);
    expect(workers.map((w) => w.current.mode)).toEqual(['iptables', 'ipvs', 'nftables']);
    expect(log.progress).toEqual(['iptables@10000 ipvs@10000 nftables@10000 (0)']);
    for (const w of workers) w.answer();
    expect(log.rows).toHaveLength(3);
    expect(log.done?.workers).toBe(3);
  });

  it('stops every worker at the first error and names the step', () => {
    const { workers, log } = start([10, 30], 3);
    workers[0]!.answer();
    workers[1]!.send({ type: 'error', id: workers[1]!.current.id, message: 'iptables-restore refused the sync' });
    expect(log.errors).toEqual(['ipvs@10: iptables-restore refused the sync']);
    expect(workers.every((w) => w.terminated)).toBe(true);
    workers[2]!.answer(); // too late: ignored
    expect(log.rows).toEqual(['0:iptables@10']);
    expect(log.done).toBeUndefined();
  });

  it('reports a worker that could not start or died, with the step it was on', () => {
    const { workers, log } = start([10], 2);
    let prevented = false;
    workers[1]!.onerror!({ message: '', preventDefault: () => { prevented = true; } } as ErrorEvent);
    expect(prevented).toBe(true);
    expect(log.errors).toEqual(['ipvs@10: the engine worker stopped: it could not start, or ran out of memory (try fewer Services or endpoints)']);
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('cancel terminates every worker and nothing is reported after it', () => {
    const { workers, log, cancel } = start([10, 30, 100], 3);
    workers[0]!.answer();
    cancel();
    expect(workers.every((w) => w.terminated)).toBe(true);
    for (const w of workers) w.answer();
    expect(log.rows).toEqual(['0:iptables@10']);
    expect(log.done).toBeUndefined();
    expect(log.errors).toEqual([]);
  });

  it('ignores a reply that is not for the step the worker is on', () => {
    const { workers, log } = start([10], 1);
    const w = workers[0]!;
    w.send({ type: 'row', id: 7, row: fakeRow('ipvs', 10, 10), startedAt: 0, ms: 1 });
    expect(log.rows).toEqual([]);
    w.answer();
    expect(log.rows).toEqual(['0:iptables@10']);
  });
});
