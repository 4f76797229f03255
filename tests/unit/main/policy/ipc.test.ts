import { describe, expect, it } from 'vitest';
import { callInput, senderProblem } from '../../../../main/policy/ipc.ts';

describe('IPC sender validation', () => {
  const good = { frameUrl: 'app://app/index.html', isMainFrame: true, knownWindow: true };
  it('accepts the main frame of the bundle in one of our windows', () => {
    expect(senderProblem(good)).toBeNull();
    expect(senderProblem({ ...good, frameUrl: 'app://app/alerts/12#x' })).toBeNull();
  });
  it('refuses every other sender, saying why', () => {
    expect(senderProblem({ ...good, knownWindow: false })).toMatch(/did not open/);
    expect(senderProblem({ ...good, frameUrl: null })).toMatch(/gone/);
    expect(senderProblem({ ...good, isMainFrame: false })).toMatch(/main frame/);
    for (const frameUrl of [
      'https://example.com/',
      'file:///index.html',
      'app://evil/index.html',
      'data:text/html,x',
      'about:blank',
      'devtools://devtools/bundled/x.html',
    ]) {
      expect(senderProblem({ ...good, frameUrl }), frameUrl).toMatch(/not the bundled app/);
    }
  });
});

describe('IPC call arguments', () => {
  it('takes one object, or nothing', () => {
    expect(callInput([])).toEqual({ ok: true, input: undefined });
    expect(callInput([{ id: 1 }])).toEqual({ ok: true, input: { id: 1 } });
    expect(callInput([undefined])).toEqual({ ok: true, input: undefined });
  });
  it('refuses extra arguments and non-objects', () => {
    expect(callInput([{}, {}])).toMatchObject({ ok: false, message: expect.stringMatching(/one argument, not 2/) });
    for (const v of [null, 1, 'x', true, [1, 2]]) expect(callInput([v]).ok, JSON.stringify(v)).toBe(false);
  });
});
