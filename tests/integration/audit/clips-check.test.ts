import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkClips } from '../../../src/audit/clips-check.ts';
import { ClipStore } from '../../../src/store/clip-store.ts';
import { longestHold, watchLoop } from '../../support/loop-watch.ts';
import { tempDir } from '../../support/temp.ts';

/** Re-hashing clips runs after verify's transaction, on this thread, in slices: seats keep being answered. */
describe('the clip step of audit verify', () => {
  let tmp: ReturnType<typeof tempDir>;
  let clips: ClipStore;
  const rows = { clips: [] as { sha256: string; bytes: number }[], sensors: [] as Parameters<typeof checkClips>[0]['sensors'][number][] };
  const seq = new Map<string, number>();

  beforeAll(() => {
    tmp = tempDir();
    clips = new ClipStore(tmp.dir);
    // Sixteen 8 MiB files: 128 MiB to hash, about 100 ms of SHA-256 here even with the CPU's SHA instructions.
    for (let i = 0; i < 16; i++) {
      const bytes = randomBytes(8 << 20);
      const sha256 = ClipStore.hash(bytes);
      clips.put(sha256, bytes);
      rows.clips.push({ sha256, bytes: bytes.byteLength });
      rows.sensors.push({ alert_id: i + 1, sensor_id: 'S-1', lat: 0, lon: 0, elevation_m: 0, x: 0, y: 0, z: 0, clip_sha256: sha256, clip_start_us: 0 });
      seq.set(sha256, i + 1);
    }
  });
  afterAll(() => tmp.cleanup());

  it('hashes every file without holding the event loop for more than a slice', async () => {
    const watch = watchLoop(2);
    const r = await checkClips(rows, clips, seq);
    const held = longestHold(watch.stop());
    expect(r).toEqual({ checked: 16, problems: [] });
    // A slice is 10 ms of work plus the 1 MiB chunk that crosses it (about 1 to 3 ms of SHA-256);
    // hashed in one go, the same files held it for about 100 ms.
    expect(held).toBeLessThan(30);
  });

  it('names an altered and a missing file, in the order the log recorded them', async () => {
    const [a, b] = rows.clips;
    const bad = clips.read(b!.sha256);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    writeFileSync(clips.path(b!.sha256), bad);
    rmSync(clips.path(a!.sha256));
    const r = await checkClips(rows, clips, seq);
    expect(r.problems.map((p) => [p.kind === 'clip' && p.sha256, p.kind === 'clip' && p.problem, p.kind === 'clip' && p.seq])).toEqual([
      [a!.sha256, 'missing', 1],
      [b!.sha256, 'altered', 2],
    ]);
    expect(r.problems[1]!.message).toMatch(/alert 2 sensor S-1 was altered/);
  });
});
