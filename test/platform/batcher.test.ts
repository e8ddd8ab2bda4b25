import { describe, expect, it } from 'vitest';
import { Batcher } from '../../src/platform/db/index.js';

/** A run the test finishes by hand, to see what arrives while it is under way. */
function controlledRuns() {
  const runs: { inputs: number[]; finish: () => void; fail: (error: Error) => void }[] = [];
  const batcher = new Batcher<number, string>(
    (inputs) =>
      new Promise<string[]>((resolve, reject) => {
        runs.push({ inputs, finish: () => resolve(inputs.map((n) => `#${n}`)), fail: reject });
      }),
    { maxBatch: 3 },
  );
  return { batcher, runs };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('Batcher (group commit)', () => {
  it('puts the loads of one turn in one run', async () => {
    const { batcher, runs } = controlledRuns();
    const answers = Promise.all([batcher.load(1), batcher.load(2)]);
    await turn();
    expect(runs.map((r) => r.inputs)).toEqual([[1, 2]]);
    runs[0]!.finish();
    expect(await answers).toEqual(['#1', '#2']);
  });

  it('runs one call at a time: what arrives meanwhile waits and goes together in the next', async () => {
    const { batcher, runs } = controlledRuns();
    const first = batcher.load(1);
    await turn();
    const later = [batcher.load(2)];
    await turn();
    later.push(batcher.load(3));
    await turn();
    // Two turns went by with loads waiting, and still only the first run was started.
    expect(runs.map((r) => r.inputs)).toEqual([[1]]);
    runs[0]!.finish();
    expect(await first).toBe('#1');
    await turn();
    await turn();
    expect(runs.map((r) => r.inputs)).toEqual([[1], [2, 3]]);
    runs[1]!.finish();
    expect(await Promise.all(later)).toEqual(['#2', '#3']);
  });

  it('splits what waits into runs of at most maxBatch, in arrival order', async () => {
    const { batcher, runs } = controlledRuns();
    const all = [1, 2, 3, 4, 5].map((n) => batcher.load(n));
    await turn();
    expect(runs.map((r) => r.inputs)).toEqual([[1, 2, 3]]);
    runs[0]!.finish();
    await turn();
    await turn();
    expect(runs.map((r) => r.inputs)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    runs[1]!.finish();
    expect(await Promise.all(all)).toEqual(['#1', '#2', '#3', '#4', '#5']);
  });

  it('fails only the loads of the run that failed, and goes on with the next', async () => {
    const { batcher, runs } = controlledRuns();
    const failing = batcher.load(1);
    await turn();
    const next = batcher.load(2);
    runs[0]!.fail(new Error('database unavailable'));
    await expect(failing).rejects.toThrow('database unavailable');
    await turn();
    await turn();
    runs[1]!.finish();
    expect(await next).toBe('#2');
  });

  it('turns a run that throws instead of rejecting into failed loads, not a stuck batcher', async () => {
    let calls = 0;
    const batcher = new Batcher<number, number>((inputs) => {
      calls += 1;
      if (calls === 1) throw new Error('bad statement');
      return Promise.resolve(inputs);
    });
    await expect(batcher.load(1)).rejects.toThrow('bad statement');
    expect(await batcher.load(2)).toBe(2);
  });
});

describe('Batcher with a linger (writes nobody waits on)', () => {
  function recorded(lingerMs: number, maxBatch?: number) {
    const runs: { inputs: number[]; at: number }[] = [];
    const batcher = new Batcher<number, number>(
      (inputs) => {
        runs.push({ inputs, at: performance.now() });
        return Promise.resolve(inputs);
      },
      { lingerMs, ...(maxBatch ? { maxBatch } : {}) },
    );
    return { batcher, runs };
  }

  it('writes a load after a quiet spell at the end of its turn: someone reading right after waits for nothing', async () => {
    const { batcher, runs } = recorded(60_000);
    expect(await batcher.load(1)).toBe(1);
    expect(runs.map((r) => r.inputs)).toEqual([[1]]);
  });

  it('starts calls at most once per lingerMs, so what arrives meanwhile goes together', async () => {
    const { batcher, runs } = recorded(80);
    await batcher.load(1);
    const loads = [batcher.load(2)];
    await turn();
    loads.push(batcher.load(3));
    await turn();
    loads.push(batcher.load(4));
    expect(runs.map((r) => r.inputs)).toEqual([[1]]);
    expect(await Promise.all(loads)).toEqual([2, 3, 4]);
    expect(runs.map((r) => r.inputs)).toEqual([[1], [2, 3, 4]]);
    // Node's timers run on the event loop's clock, whole milliseconds read at the loop's turn, so a
    // timer may fire up to 1 ms before the exact time it was asked for.
    expect(runs[1]!.at - runs[0]!.at).toBeGreaterThanOrEqual(78);
  });

  it('starts a full batch at once, without waiting out the linger', async () => {
    const { batcher, runs } = recorded(60_000, 2);
    await batcher.load(0);
    expect(await Promise.all([batcher.load(1), batcher.load(2)])).toEqual([1, 2]);
    expect(runs.map((r) => r.inputs)).toEqual([[0], [1, 2]]);
  });
});
