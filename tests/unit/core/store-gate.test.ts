import { describe, expect, it } from 'vitest';
import { StoreGate } from '../../../src/core/store-gate.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('the store gate between the synchronous store and port transactions', () => {
  it('lets shared holders in together, and a port transaction only alone', async () => {
    const gate = new StoreGate();
    const log: string[] = [];
    const a = await gate.shared();
    const b = await gate.shared();
    const x = gate.exclusive().then((release) => (log.push('x'), release));
    await tick();
    expect(log).toEqual([]);
    a();
    await tick();
    expect(log).toEqual([]);
    b();
    const releaseX = await x;
    expect(log).toEqual(['x']);
    // While it holds the gate, shared callers wait; released, they all go in together.
    const c = gate.shared().then((release) => (log.push('c'), release));
    const d = gate.shared().then((release) => (log.push('d'), release));
    await tick();
    expect(log).toEqual(['x']);
    releaseX();
    (await c)();
    (await d)();
    expect(log).toEqual(['x', 'c', 'd']);
  });

  it('prefers a waiting port transaction to shared callers that arrive after it, and a release twice counts once', async () => {
    const gate = new StoreGate();
    const order: string[] = [];
    const first = await gate.shared();
    const x = gate.exclusive().then((release) => (order.push('x'), release));
    const late = gate.shared().then((release) => (order.push('late'), release));
    first();
    first();
    (await x)();
    (await late)();
    expect(order).toEqual(['x', 'late']);
    // Nothing is held now: a port transaction goes straight in.
    const y = await gate.exclusive();
    y();
    y();
    const z = await gate.shared();
    z();
  });
});
