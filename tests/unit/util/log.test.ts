import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, existsSync, ftruncateSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileLogLevel, LOG_FILE } from '../../../src/util/log.ts';
import { NODE, REPO } from '../../support/host.ts';
import { tempDir } from '../../support/temp.ts';

/** Runs `code` in a fresh Node with src/util/log.ts imported as `L`: the log is process-wide, so each case gets its own process. */
function withLog(code: string, env: NodeJS.ProcessEnv = {}): { stderr: string } {
  const script = `import * as L from ${JSON.stringify(join(REPO, 'src/util/log.ts'))};\n${code}`;
  const r = spawnSync(NODE, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: REPO,
    encoding: 'utf8',
    env: { ...process.env, EARWITNESS_LOG_LEVEL: '', ...env },
  });
  if (r.status !== 0) throw new Error(`the script failed (${r.status}): ${r.stderr}`);
  return { stderr: r.stderr };
}

describe('the log', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeEach(() => (tmp = tempDir()));
  afterEach(() => tmp.cleanup());

  it('writes JSON Lines from info up to logs/earwitness.log in the data folder, and warnings as plain text on stderr', () => {
    const { stderr } = withLog(`
      L.log.info('before the file: stderr does not show info');
      const path = L.openLogFile(${JSON.stringify(tmp.dir)});
      L.log.debug({ n: 1 }, 'too fine for the default level');
      L.log.info({ alertId: 7 }, 'imported');
      L.log.warn({ setting: 'delivery' }, 'a setting is not valid and is ignored');
      L.log.error({ err: new Error('disk full') }, 'a method failed');
    `);
    const lines = readFileSync(join(tmp.dir, LOG_FILE), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [30, 'imported'],
      [40, 'a setting is not valid and is ignored'],
      [50, 'a method failed'],
    ]);
    expect(lines[0]).toMatchObject({ alertId: 7, pid: expect.any(Number), time: expect.any(Number) });
    expect(lines[2]).toMatchObject({ err: { type: 'Error', message: 'disk full', stack: expect.stringContaining('Error: disk full') } });
    const text = stderr.trim().split('\n');
    expect(text[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z warn: a setting is not valid and is ignored setting="delivery"$/);
    expect(text[1]).toMatch(/^\S+ error: a method failed$/);
    expect(text[2]).toBe('Error: disk full');
    expect(stderr).not.toMatch(/info|imported|\{/);
  });

  it('takes its level from EARWITNESS_LOG_LEVEL, ignoring a name that is no level', () => {
    expect(fileLogLevel({ EARWITNESS_LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(fileLogLevel({ EARWITNESS_LOG_LEVEL: 'verbose' })).toBe('info');
    expect(fileLogLevel({})).toBe('info');
    withLog(`L.openLogFile(${JSON.stringify(tmp.dir)}); L.log.debug('fine detail'); L.log.trace('finer');`, { EARWITNESS_LOG_LEVEL: 'debug' });
    expect(readFileSync(join(tmp.dir, LOG_FILE), 'utf8')).toMatch(/"msg":"fine detail"/);
    expect(readFileSync(join(tmp.dir, LOG_FILE), 'utf8')).not.toMatch(/finer/);
  });

  it('moves a file past 20 MB aside to earwitness.log.1 when a process opens it', () => {
    mkdirSync(join(tmp.dir, 'logs'));
    const fd = openSync(join(tmp.dir, LOG_FILE), 'w');
    ftruncateSync(fd, 21 * 1024 * 1024);
    closeSync(fd);
    withLog(`L.openLogFile(${JSON.stringify(tmp.dir)}); L.log.info('fresh');`);
    expect(existsSync(join(tmp.dir, `${LOG_FILE}.1`))).toBe(true);
    expect(readFileSync(join(tmp.dir, LOG_FILE), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
