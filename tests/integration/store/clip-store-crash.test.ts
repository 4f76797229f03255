import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openTestCore } from '../../support/test-core.ts';
import { dataPaths } from '../../../src/kernel/paths.ts';
import { ClipStore, STALE_TEMP_MS } from '../../../src/store/clip-store.ts';
import { tempDir } from '../../support/temp.ts';

const WRITER = fileURLToPath(new URL('../../support/clip-writer.ts', import.meta.url));
const CLIP_BYTES = 24 << 20;

/** Runs the writer and SIGKILLs it `afterMs` after its `nth` "writing" line: inside a clip write, most times. */
function killDuringWrite(clips: string, sources: string, nth: number, afterMs: number, seed: number): Promise<{ stored: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', WRITER, '--dir', clips, '--sources', sources, '--bytes', String(CLIP_BYTES), '--seed', String(seed)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const stored: string[] = [];
    let writing = 0;
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      if (l.startsWith('stored ')) stored.push(l.slice(7));
      else if (l.startsWith('writing ') && ++writing === nth) setTimeout(() => child.kill('SIGKILL'), afterMs);
    });
    child.on('exit', (code, signal) =>
      signal === 'SIGKILL' ? resolve({ stored }) : reject(new Error(`the writer exited with ${code}: ${stderr.slice(-2000)}`)),
    );
  });
}

/** Every file under the clip store: [relative path, size]. */
function files(dir: string): [string, number][] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((p) => statSync(join(dir, p)).isFile())
    .map((p) => [p, statSync(join(dir, p)).size] as [string, number])
    .sort();
}

describe('the clip store killed with SIGKILL in the middle of clip writes', () => {
  let tmp: ReturnType<typeof tempDir>;
  let clips: string;
  const stored = new Set<string>();
  let temps: [string, number][] = [];

  beforeAll(async () => {
    tmp = tempDir();
    clips = join(tmp.dir, 'clips');
    let seed = Number(process.env.CRASH_SEED ?? Date.now() % 100_000);
    console.log(`clip crash test seed ${seed} (set CRASH_SEED to repeat)`);
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    // Kill until writes were caught in the act twice and clips were stored whole (a few rounds do).
    let round = 0;
    for (; round < 24 && (temps.length < 2 || stored.size < 2); round++) {
      const r = await killDuringWrite(clips, join(tmp.dir, 'sources'), 2 + Math.floor(random() * 3), random() * 60, round + 1);
      for (const s of r.stored) stored.add(s);
      temps = files(clips).filter(([p]) => p.endsWith('.tmp'));
    }
    console.log(`${round} kills; ${stored.size} clips acknowledged; temporary files left: ${temps.map(([, size]) => `${size} bytes`).join(', ')}`);
  }, 240_000);
  afterAll(() => tmp.cleanup());

  it('leaves no partial clip under a hash: every clip file holds the bytes its name says', () => {
    expect(temps.length, 'no kill landed inside a write: the test proved nothing').toBeGreaterThanOrEqual(1);
    const store = new ClipStore(clips);
    const named = files(clips).filter(([p]) => p.endsWith('.wav'));
    expect(stored.size).toBeGreaterThanOrEqual(1);
    expect(named.length).toBeGreaterThanOrEqual(stored.size);
    for (const [p, size] of named) {
      const sha = p.split('/').pop()!.replace('.wav', '');
      expect(size, p).toBe(CLIP_BYTES);
      expect(store.verify(sha), p).toBe(true);
    }
    for (const sha of stored) expect(store.verify(sha), `${sha} was acknowledged as stored`).toBe(true);
  });

  it('keeps a young temporary file (another process may be writing it) and removes stale ones at open, and nothing else', () => {
    const sub = join(clips, 'ab');
    mkdirSync(sub, { recursive: true });
    const foreign = [
      join(clips, 'notes.tmp'),
      join(sub, 'readme.txt'),
      join(sub, `${'a'.repeat(64)}.wav.tmp`),
      join(sub, `${'c'.repeat(64)}.wav.0123456789ab.tmp`),
    ];
    for (const f of foreign) writeFileSync(f, "not the store's");
    const before = files(clips);

    const young = new ClipStore(clips);
    expect(young.removedTemps).toEqual([]);
    expect(files(clips)).toEqual(before);

    // The same store opened STALE_TEMP_MS later: the crash's leftovers are gone, the clips stay.
    const later = new ClipStore(clips, { nowMs: Date.now() + STALE_TEMP_MS + 1000 });
    expect(later.removedTemps.sort()).toEqual(temps.map(([p]) => p).sort());
    expect(files(clips)).toEqual(before.filter(([p]) => !temps.some(([t]) => t === p)));
    for (const f of foreign) expect(existsSync(f), f).toBe(true);
  });

  it('is cleaned when the core opens its data folder: a temporary file a crash left an hour ago is gone', async () => {
    const data = join(tmp.dir, 'data');
    const first = await openTestCore({ dataDir: data });
    await first.close();
    const clipsDir = dataPaths(data).clips;
    mkdirSync(join(clipsDir, 'ab'), { recursive: true });
    const stale = join(clipsDir, 'ab', `ab${'0'.repeat(62)}.wav.a1b2c3d4e5f6.tmp`);
    const fresh = join(clipsDir, 'ab', `ab${'1'.repeat(62)}.wav.a1b2c3d4e5f6.tmp`);
    writeFileSync(stale, '');
    writeFileSync(fresh, '');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(stale, hourAgo, hourAgo);
    const core = await openTestCore({ dataDir: data });
    try {
      expect(existsSync(stale)).toBe(false);
      expect(existsSync(fresh)).toBe(true);
    } finally {
      await core.close();
    }
  });
});
