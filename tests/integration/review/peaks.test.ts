import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { decodePeaks, PEAK_SCALE } from '../../../src/contract/index.ts';
import { addPerson, importSmallAlerts, seatOf } from '../../support/seats.ts';
import { tempDir } from '../../support/temp.ts';

describe('getPeaks: what the seat draws first', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;

  beforeEach(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    await addPerson(core, 'rita', ['reviewer']);
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  it("carries every track's peaks as computed at import, to within one 16-bit step", async () => {
    const [id] = await importSmallAlerts(core, tmp.dir, [Date.now() * 1000 - 10_000_000]);
    const rita = await seatOf(core, 'rita');
    const got = await core.call(rita, 'getPeaks', { id: id! });
    const stored = await core.storePort.read((tx) => tx.alerts.peaks(id!));
    expect(got.tracks.map((t) => t.sensorId)).toEqual(stored.map((t) => t.sensorId));
    for (const [i, t] of got.tracks.entries()) {
      const want = stored[i]!;
      const back = decodePeaks(t.peaks);
      expect(t.peaksPerSecond).toBe(want.peaksPerSecond);
      expect(back.length).toBe(want.peaks.length);
      expect(want.peaks.some((v) => v !== 0)).toBe(true);
      let worst = 0;
      for (let k = 0; k < back.length; k++) worst = Math.max(worst, Math.abs(back[k]! - want.peaks[k]!));
      expect(worst).toBeLessThanOrEqual(0.5 / PEAK_SCALE + 1e-7);
    }
    expect(await core.dispatch(rita, 'getPeaks', { id: 9999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
