import { join } from 'node:path';
import { openCore } from '../../../src/core/core.ts';
import { renderReport, transparencyReport } from '../../../src/outcomes/report/build.ts';
import { CITY, squareJurisdiction } from '../../support/publish-fixtures.ts';
import { seedProgramme } from '../../support/programme.ts';
import type { BenchSuite } from '../types.ts';

const DAY_MS = 86_400_000;

/**
 * How long a year of the programme's figures takes (every alert's standing decision, incident,
 * first publication and outcomes, by night, hour, area and grid cell), and the public report in
 * HTML, beside one plain SQL pass over the same alerts joined to their standing decisions: the
 * ratio says what the per-alert work and the outcomes cost on top of reading the rows.
 */
export const suite: BenchSuite = {
  name: 'programme',
  async run(ctx) {
    const core = openCore({ dataDir: join(ctx.workDir, 'data') });
    try {
      const nowMs = Date.parse('2026-12-01T00:00:00Z');
      const alerts = ctx.quick ? 400 : 4000;
      await seedProgramme(core, { nowMs, days: 365, alerts, yearlyCost: 223_000 });
      ctx.log(`${alerts} alerts over a year`);
      const period = { fromDay: new Date(nowMs - 365 * DAY_MS).toISOString().slice(0, 10), toDay: new Date(nowMs - DAY_MS).toISOString().slice(0, 10) };
      const session = core.cliSession();
      const reps = ctx.quick ? 2 : 5;
      const best = async (f: () => unknown) => {
        let b = Infinity;
        for (let i = 0; i < reps; i++) {
          const t = performance.now();
          await f();
          b = Math.min(b, performance.now() - t);
        }
        return b;
      };
      const fromUs = Date.parse(`${period.fromDay}T00:00:00Z`) * 1000;
      const toUs = nowMs * 1000;
      const plain = core.store.db.prepare(`SELECT a.id, a.detected_us, d.class, i.state FROM alerts a
        LEFT JOIN decisions d ON d.alert_id = a.id AND d.undone_us IS NULL AND d.version = (SELECT max(version) FROM decisions WHERE alert_id = a.id AND undone_us IS NULL)
        LEFT JOIN incidents i ON i.alert_id = a.id WHERE a.detected_us >= ? AND a.detected_us < ?`);
      const baselineMs = await best(() => plain.all(fromUs, toUs));
      const networkMs = await best(() => core.call(session, 'getProgrammeFigures', { period, area: { kind: 'network' } }));
      const polygon = { kind: 'polygon' as const, geojson: squareJurisdiction(CITY, 0.02), name: 'bench area' };
      const polygonMs = await best(() => core.call(session, 'getProgrammeFigures', { period, area: polygon }));
      const htmlMs = await best(async () => renderReport(await transparencyReport(core, { period, area: { kind: 'network' } }), 'html', 'bench'));
      const label = 'plain SQL: alerts with standing decision and incident';
      return [
        { name: 'programme.figures_year_network_ms', value: networkMs, unit: 'ms', baseline: baselineMs, baselineLabel: label, higherIsBetter: false },
        { name: 'programme.figures_year_polygon_ms', value: polygonMs, unit: 'ms', baseline: baselineMs, baselineLabel: label, higherIsBetter: false },
        { name: 'programme.report_html_year_ms', value: htmlMs, unit: 'ms', baseline: baselineMs, baselineLabel: label, higherIsBetter: false },
      ];
    } finally {
      await core.close();
    }
  },
};
