import { describe, expect, it } from 'vitest';
import { IntakeGate } from '../../../src/host/intake-gate.ts';
import { partNameProblem } from '../../../src/host/intake-multipart.ts';

describe('the intake gate', () => {
  it('admits up to its concurrency, queues up to its queue in arrival order, and turns the rest away', async () => {
    const gate = new IntakeGate(2, 1);
    const a = gate.enter()!;
    const b = gate.enter()!;
    const order: string[] = [];
    const c = gate.enter()!;
    void c.then(() => order.push('c'));
    expect(gate.enter()).toBeNull();
    expect(gate.load).toEqual({ inFlight: 2, waiting: 1 });
    expect(gate.retryAfterS()).toBeGreaterThanOrEqual(1);
    (await a)();
    const leaveC = await c;
    expect(order).toEqual(['c']);
    expect(gate.load).toEqual({ inFlight: 2, waiting: 0 });
    // Leaving twice gives back one place only.
    leaveC();
    leaveC();
    expect(gate.load).toEqual({ inFlight: 1, waiting: 0 });
    (await b)();
    expect(gate.load).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('asks a sender to wait for the pushes ahead of it, between 1 and 60 s', () => {
    const gate = new IntakeGate(1, 100);
    void gate.enter();
    for (let i = 0; i < 100; i++) void gate.enter();
    expect(gate.enter()).toBeNull();
    expect(gate.retryAfterS()).toBe(60);
  });
});

describe('clip part names', () => {
  it('takes plain relative paths and refuses anything that could land outside the folder or hide', () => {
    for (const ok of ['S-014.wav', 'clips/S 014.wav', 'a/b/c.wav', 'x_1+2.WAV']) expect(partNameProblem(ok), ok).toBeNull();
    for (const bad of [
      '',
      '../x.wav',
      'a/../../x',
      '/etc/passwd',
      '.hidden',
      'a/.b',
      'a\\b',
      'C:x',
      'a//b',
      'a/',
      'x.',
      'x ',
      'a\u0000b',
      'é.wav',
      'a/b/c/d/e/f/g/h/i.wav',
    ])
      expect(partNameProblem(bad), JSON.stringify(bad)).toMatch(/is not a plain relative path/);
  });
});
