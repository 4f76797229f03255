/**
 * Re-location while a pick is dragged: can the renderer ask the core for every new fix, or must
 * the solver move into the renderer? Measured on a 6-sensor alert, one pick moved a little more
 * at every call (as a drag does).
 *
 * - relocate.preview_core_us: previewRelocation dispatched in the core (seat check, schema
 *   validation, the QA seal scan, the solve); baseline: getStatus dispatched the same way, the
 *   floor of any call. Median of 2000.
 * - relocate.preview_roundtrip_ms: the same call from a client through a running loopback host
 *   (HTTP on 127.0.0.1, as the browser seat calls it); baseline: getStatus through the same host.
 *   Median of 300 each, interleaved.
 */
import { join } from 'node:path';
import type { RelocatedShotInput } from '../../../src/contract/index.ts';
import { openCore } from '../../../src/core/core.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { adminClient, personClient, startHostProcess } from '../../support/host.ts';
import { addPerson, seatOf } from '../../support/seats.ts';
import type { BenchSuite, Figure } from '../types.ts';

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The machine's picks of the alert's first shot, with the first one moved by `i` tenths of a millisecond. */
function dragged(picks: RelocatedShotInput['picks'], i: number): RelocatedShotInput[] {
  return [{ index: 1, picks: picks.map((p, k) => (k === 0 ? { ...p, offsetS: p.offsetS + ((i % 40) - 20) * 1e-4 } : p)) }];
}

export const suite: BenchSuite = {
  name: 'relocate',
  async run(ctx) {
    const bundle = writeSimpleBundle(join(ctx.workDir, 'bundle'), { id: 'BENCH-RELOC', sensors: 6, sampleRate: 16000 }).dir;
    const figures: Figure[] = [];

    // In the core.
    const core = openCore({ dataDir: join(ctx.workDir, 'core') });
    try {
      await addPerson(core, 'rita', ['reviewer']);
      const r = await importFolder(core, bundle, 'bench');
      const alertId = r.alertId!;
      const rita = await seatOf(core, 'rita');
      const d = await core.call(rita, 'getAlert', { id: alertId });
      const picks = d.pulses.filter((p) => p.shotIndex === 1).map((p) => ({ sensorId: p.sensorId, offsetS: p.offsetS }));
      const n = ctx.quick ? 200 : 2000;
      const preview: number[] = [];
      const status: number[] = [];
      for (let i = 0; i < n; i++) {
        let t = performance.now();
        const p = await core.dispatch(rita, 'previewRelocation', { alertId, shots: dragged(picks, i) });
        preview.push(performance.now() - t);
        if (!p.ok) throw new Error(p.error.message);
        t = performance.now();
        await core.dispatch(rita, 'getStatus', {});
        status.push(performance.now() - t);
      }
      figures.push({
        name: 'relocate.preview_core_us',
        value: median(preview) * 1000,
        unit: 'us',
        baseline: median(status) * 1000,
        baselineLabel: 'getStatus dispatched in the core',
        higherIsBetter: false,
      });
      ctx.log(`core: previewRelocation ${(median(preview) * 1000).toFixed(0)} us, getStatus ${(median(status) * 1000).toFixed(0)} us`);
    } finally {
      await core.close();
    }

    // Through the loopback host, as the browser seat calls it.
    const host = await startHostProcess({ dataDir: join(ctx.workDir, 'host') });
    try {
      const admin = await adminClient(host);
      const { outcomes } = await admin.importFolders([bundle]);
      const alertId = outcomes[0]!.alertId!;
      const rita = await personClient(host, 'rita', ['reviewer']);
      const d = await rita.call('getAlert', { id: alertId });
      const picks = d.pulses.filter((p) => p.shotIndex === 1).map((p) => ({ sensorId: p.sensorId, offsetS: p.offsetS }));
      const n = ctx.quick ? 50 : 300;
      const preview: number[] = [];
      const status: number[] = [];
      for (let i = 0; i < n; i++) {
        let t = performance.now();
        await rita.call('previewRelocation', { alertId, shots: dragged(picks, i) });
        preview.push(performance.now() - t);
        t = performance.now();
        await rita.call('getStatus', {});
        status.push(performance.now() - t);
      }
      figures.push({
        name: 'relocate.preview_roundtrip_ms',
        value: median(preview),
        unit: 'ms',
        baseline: median(status),
        baselineLabel: 'getStatus through the same host',
        higherIsBetter: false,
      });
      ctx.log(`host: previewRelocation ${median(preview).toFixed(2)} ms, getStatus ${median(status).toFixed(2)} ms`);
    } finally {
      await host.stop();
    }
    return figures;
  },
};
