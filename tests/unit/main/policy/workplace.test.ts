import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CENTRE_CA_FILE, parseWorkplace, WORKPLACE_FILE } from '../../../../main/policy/workplace.ts';
import { readWorkplace, saveWorkplace } from '../../../../main/workplace.ts';
import { tempDir } from '../../../support/temp.ts';

describe('workplace.json, read as if a stranger wrote it', () => {
  it('no file is this computer; a valid choice is kept; anything else is refused with its reason', () => {
    expect(parseWorkplace(null)).toEqual({ ok: true, workplace: { kind: 'local' } });
    expect(parseWorkplace('{"kind":"centre","origin":"https://review.example","privateCa":false}')).toEqual({
      ok: true,
      workplace: { kind: 'centre', origin: 'https://review.example', privateCa: false },
    });
    for (const [text, reason] of [
      ['{', /not JSON/],
      ['[]', /invalid/i],
      ['{"kind":"centre","origin":"http://review.example","privateCa":false}', /https only/],
      ['{"kind":"centre","origin":"https://review.example/x","privateCa":false}', /without a path/],
      ['{"kind":"centre","origin":"https://review.example","privateCa":"yes"}', /privateCa/],
      ['{"kind":"centre","origin":"https://review.example","privateCa":false,"preload":"/tmp/x.js"}', /preload/],
      ['{"kind":"elsewhere"}', /invalid/i],
      ['{"__proto__":{"kind":"local"}}', /invalid/i],
    ] as const) {
      const r = parseWorkplace(text);
      expect(r.ok, text).toBe(false);
      if (!r.ok) expect(r.reason, text).toMatch(reason);
    }
  });
});

describe('keeping the choice in the data folder', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => (dir = tempDir('earwitness-workplace-')));
  afterEach(() => dir.cleanup());

  it('a centre with its CA, read back; back to this computer removes the CA; files are private', () => {
    expect(readWorkplace(dir.dir)).toEqual({ kind: 'local' });
    saveWorkplace(dir.dir, { kind: 'centre', origin: 'https://review.example', caPem: 'PEM TEXT' });
    expect(readWorkplace(dir.dir)).toEqual({ kind: 'centre', origin: 'https://review.example', caPem: 'PEM TEXT' });
    expect(statSync(join(dir.dir, CENTRE_CA_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir.dir, WORKPLACE_FILE)).mode & 0o777).toBe(0o600);
    saveWorkplace(dir.dir, { kind: 'local' });
    expect(readWorkplace(dir.dir)).toEqual({ kind: 'local' });
    expect(existsSync(join(dir.dir, CENTRE_CA_FILE))).toBe(false);
    expect(existsSync(join(dir.dir, `${WORKPLACE_FILE}.partial`))).toBe(false);
  });

  it('a hand-edited or broken file means this computer, with the reason, never an address it cannot vouch for', () => {
    writeFileSync(join(dir.dir, WORKPLACE_FILE), '{"kind":"centre","origin":"http://evil.test","privateCa":false}');
    expect(readWorkplace(dir.dir)).toMatchObject({ kind: 'local', problem: expect.stringMatching(/https only/) });
    writeFileSync(join(dir.dir, WORKPLACE_FILE), '{"kind":"centre","origin":"https://review.example","privateCa":true}');
    expect(readWorkplace(dir.dir)).toMatchObject({ kind: 'local', problem: expect.stringMatching(/centre-ca.pem is missing/) });
    expect(readFileSync(join(dir.dir, WORKPLACE_FILE), 'utf8')).toContain('privateCa');
  });
});
