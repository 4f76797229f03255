import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { prepareAlert } from '../../../src/ingest/prepare.ts';
import { readAlertFolder } from '../../../src/ingest/readers.ts';
import { measureImportMemory } from '../../support/import-memory.ts';
import { tempDir } from '../../support/temp.ts';
import { writeWideBundle } from '../../support/wide-bundle.ts';

const prepare = (dir: string) => prepareAlert(readAlertFolder(dir), { defaultTemperatureC: 15, nowUs: Date.now() * 1000 });

/**
 * An import holds one clip's audio at a time, however many sensor entries its alert has: each
 * distinct clip file is read once, each channel decoded once, and let go once its peaks and
 * picks are taken. (It used to read and decode the clip again for every entry and hold them all:
 * an 11 kB alert.json naming one 8 MiB clip in 64 entries took 1.8 GB.)
 */
describe('memory of an import', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp.cleanup());

  it('reads each clip once, decodes each channel once, and holds one clip at a time, for 16 entries as for 64', () => {
    const few = prepare(writeWideBundle(join(tmp.dir, 'few'), { sensors: 16, clipSeconds: 0.5 }).dir).stats;
    const many = prepare(writeWideBundle(join(tmp.dir, 'many'), { sensors: 64, clipSeconds: 0.5 }).dir).stats;
    expect(few).toMatchObject({ clipsRead: 16, decodes: 16 });
    expect(many).toMatchObject({ clipsRead: 64, decodes: 64 });
    expect(many.peakAudioBytes).toBe(few.peakAudioBytes);
  });

  it('reads a multi-channel file once for all the sensors on its channels', () => {
    const { dir, clipBytes } = writeWideBundle(join(tmp.dir, 'channels'), { sensors: 64, clipSeconds: 0.25, channels: 32 });
    const p = prepare(dir);
    expect(p.stats).toMatchObject({ clipsRead: 2, decodes: 64 });
    expect(p.clips).toHaveLength(2);
    // One file's bytes and one channel's samples (Float32), never more.
    expect(p.stats.peakAudioBytes).toBe(clipBytes + 0.25 * 48_000 * 4);
    expect(new Set(p.alert.sensors.map((s) => `${s.clip.sha256}#${s.channel}`)).size).toBe(64);
  });

  it('keeps the peak resident memory of a whole import (worker included) flat from 16 to 64 entries', async () => {
    // Half a MiB of audio per entry (5.5 s at 48 kHz): held all at once, with its samples, 64
    // entries would weigh 96 MiB more than they do one by one.
    const warm = writeWideBundle(join(tmp.dir, 'warm'), { sensors: 4, clipSeconds: 1, id: 'WARM' }).dir;
    const few = await measureImportMemory(join(tmp.dir, 'data-16'), warm, writeWideBundle(join(tmp.dir, 'rss-16'), { sensors: 16, clipSeconds: 5.5 }).dir);
    const many = await measureImportMemory(join(tmp.dir, 'data-64'), warm, writeWideBundle(join(tmp.dir, 'rss-64'), { sensors: 64, clipSeconds: 5.5 }).dir);
    console.log(
      `peak memory over the import: 16 entries +${few.growthMiB.toFixed(1)} MiB (${few.ms.toFixed(0)} ms), 64 entries +${many.growthMiB.toFixed(1)} MiB (${many.ms.toFixed(0)} ms)`,
    );
    expect(few.status).toMatch(/^imported/);
    expect(many.status).toMatch(/^imported/);
    expect(many.growthMiB - few.growthMiB).toBeLessThan(16);
    expect(many.growthMiB).toBeLessThan(48);
  }, 180_000);
});
