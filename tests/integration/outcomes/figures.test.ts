import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.ts';
import type { DecisionClass, ProgrammeArea, ProgrammeFigures } from '../../../src/contract/index.ts';
import { recordOutcome } from '../../../src/outcomes/record.ts';
import { cellBounds } from '../../../src/outcomes/figures/grid.ts';
import { renderReport, transparencyReport } from '../../../src/outcomes/report/build.ts';
import { addAgency, CITY, decide, seedAlert, session, squareJurisdiction } from '../../support/publish-fixtures.ts';
import { ManualClock } from '../../support/clock.ts';
import { tempDir } from '../../support/temp.ts';
import { testBackend } from '../../support/database.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';

/** A small deterministic generator, so the seeded programme is the same every run. */
function rng(seed: number) {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    x ^= x + Math.imul(x ^ (x >>> 7), 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY0 = Date.parse('2026-03-02T00:00:00Z') * 1000;
const PERIOD = { fromDay: '2026-03-02', toDay: '2026-03-04' };
const EAST = { lat: CITY.lat, lon: CITY.lon + 0.2 };
const GUNFIRE = "('gunfire_single', 'gunfire_multiple')";

/** The check's SQL in the dialect of the project's backend: it recomputes each figure independently of the store's own queries. */
const PG = testBackend() === 'postgres';
/** A number at a JSON path of a column (SQLite json_extract; PostgreSQL's operators). */
const jsonNumber = (column: string, path: readonly (string | number)[]) =>
  PG
    ? `(${column}::json${path.map((k, i) => `${i === path.length - 1 ? '->>' : '->'}${typeof k === 'number' ? k : `'${k}'`}`).join('')})::double precision`
    : `json_extract(${column}, '$${path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('')}')`;
/** The UTC hour of a time in microseconds. */
const utcHour = (us: string) =>
  PG
    ? `CAST(EXTRACT(HOUR FROM to_timestamp(${us} / 1000000.0) AT TIME ZONE 'UTC') AS INTEGER)`
    : `CAST(strftime('%H', ${us} / 1000000, 'unixepoch') AS INTEGER)`;
/** The strings of a JSON array column, as rows of one column `value`. */
const jsonStrings = (column: string) => (PG ? `json_array_elements_text(${column}::json) AS j(value)` : `json_each(${column}) j`);

/**
 * The programme's figures against the tables: a seeded programme (two agencies, alerts across
 * three days and every hour, decisions of every kind, unplaced and research alerts, outcomes with
 * late versions, a withdrawn incident) and each figure recomputed here with plain SQL. Then the
 * public export: parsed back, no coordinate off the grid, no cell under k.
 */
describe("the programme's figures reconcile with the tables", () => {
  const clock = new ManualClock(Date.parse('2026-03-06T12:00:00Z') * 1000);
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  const placed: { lat: number; lon: number }[] = [];
  const admin = () => session(core, ['admin', 'reviewer', 'auditor'], 'ada');
  const figures = (area: ProgrammeArea = { kind: 'network' }): Promise<ProgrammeFigures> => core.call(admin(), 'getProgrammeFigures', { period: PERIOD, area });
  const one = async (sql: string, ...args: unknown[]) => Number(await testSql(core).value(sql, ...args));

  beforeAll(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock });
    // The figures hold out decisions drawn for a blind second review; the draw is random per
    // store, so the counts this test expects need none drawn.
    await core.call(core.cliSession(), 'setAuditSettings', { sampleShare: 0 });
    await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/cap' });
    await addAgency(core, { name: 'East PD', url: 'http://127.0.0.1:9/east', at: EAST });
    const r = rng(19);
    const classes: (DecisionClass | null)[] = [
      'gunfire_multiple',
      'gunfire_single',
      'gunfire_multiple',
      'fireworks',
      'vehicle_backfire',
      'probable_gunfire',
      null,
    ];
    for (let i = 0; i < 90; i++) {
      const kind = i % 30 === 7 ? 'unplaced' : i % 30 === 13 ? 'local' : 'placed';
      const centre = i % 4 === 0 ? EAST : CITY;
      // Half in a hot spot a few hundred metres across, half spread over the city.
      const spread = i % 2 === 0 ? 0.003 : 0.06;
      const at = kind === 'placed' ? { lat: centre.lat + 0.0051 + (r() - 0.5) * spread, lon: centre.lon + 0.0051 + (r() - 0.5) * spread } : null;
      const alertId = kind === 'local' ? await seedAlert(core, { coordinates: 'local' }) : await seedAlert(core, { at, rounds: 1 + Math.floor(r() * 5) });
      if (at) placed.push(at);
      // Detected across the three days and the night before and after, at every hour.
      const detected = DAY0 - 6 * 3600e6 + Math.floor(r() * 84 * 3600e6);
      await testSql(core).run('UPDATE alerts SET detected_us = ? WHERE id = ?', detected, alertId);
      const cls = classes[Math.floor(r() * classes.length)]!;
      if (cls === null || kind === 'local') continue;
      const rounds = cls === 'gunfire_single' ? 1 : cls === 'gunfire_multiple' ? 2 + Math.floor(r() * 5) : null;
      await decide(core, alertId, cls, r() < 0.2 ? null : rounds);
    }
    // One incident withdrawn after publishing, one revised to not gunfire.
    const incidents = (
      await testSql(core).rows<{ id: number; alert_id: number }>("SELECT i.id, i.alert_id FROM incidents i WHERE i.state = 'routed' ORDER BY i.id")
    ).map((i) => ({ id: Number(i.id), alert_id: Number(i.alert_id) }));
    await core.call(admin(), 'cancelIncident', { incidentId: incidents[0]!.id, reason: 'a transformer, heard again on the recording' });
    // Outcomes: most incidents get one; a few get a later version; findings drawn with realistic shares.
    for (const inc of incidents.slice(1)) {
      const x = r();
      if (x < 0.25) continue;
      const agencyId = await one('SELECT agency_id FROM incident_agencies WHERE incident_id = ? ORDER BY agency_id LIMIT 1', inc.id);
      const first =
        x < 0.7
          ? { findings: ['nothing_found' as const], arrests: 0, firearms: 0 }
          : x < 0.85
            ? { findings: ['shell_casings' as const], arrests: 0, firearms: 0 }
            : { findings: ['shell_casings' as const, 'arrest' as const], arrests: 2, firearms: 0 };
      const base = {
        incidentId: inc.id,
        agencyId,
        notes: '',
        unit: 'car 12',
        reference: null,
        channel: 'demo' as const,
        reportedUs: null,
        reportedBy: `test-agency:${agencyId}`,
      };
      await recordOutcome(core, { ...base, ...first });
      if (r() < 0.2) await recordOutcome(core, { ...base, findings: ['property_struck', 'firearm_recovered'], arrests: 0, firearms: 1 });
    }
    await core.call(admin(), 'setProgrammeSettings', { yearlyCost: 365_250, currency: 'USD', k: 3, cellM: 500 });
  }, 120_000);
  afterAll(async () => {
    await core.close();
    tmp.cleanup();
  });

  const fromUs = DAY0;
  const toUs = DAY0 + 3 * 86_400e6;
  /** The standing decision of each alert in the period (the newest not undone), sealed ones apart, with its incident: plain SQL. */
  const STANDING = `
    WITH d AS (SELECT * FROM decisions x WHERE undone_us IS NULL AND version = (SELECT max(version) FROM decisions WHERE alert_id = x.alert_id AND undone_us IS NULL))
    SELECT a.id, a.detected_us, d.class, coalesce(d.rounds, (SELECT ${jsonNumber('body_json', ['rounds'])} FROM solutions s WHERE s.alert_id = a.id ORDER BY version DESC LIMIT 1)) AS rounds,
      i.id AS incident_id, i.state, (SELECT count(*) FROM incident_agencies ia WHERE ia.incident_id = i.id) AS agencies
    FROM alerts a JOIN d ON d.alert_id = a.id LEFT JOIN incidents i ON i.alert_id = a.id
    WHERE a.coordinates = 'wgs84' AND a.detected_us >= ${fromUs} AND a.detected_us < ${toUs}`;
  let sealedIds: number[] = [];
  const notSealed = () => `id NOT IN (${[0, ...sealedIds].join(',')})`;
  beforeAll(async () => {
    sealedIds = await core.storePort.read((tx) => tx.qa.sealedAlertIds());
  });

  it('counts alerts, decisions, confirmed incidents and rounds as the tables hold them', async () => {
    const f = await figures();
    expect(f.alerts).toBe(await one(`SELECT count(*) FROM alerts WHERE coordinates = 'wgs84' AND detected_us >= ? AND detected_us < ?`, fromUs, toUs));
    expect(f.excluded.localFrame).toBe(
      await one(`SELECT count(*) FROM alerts WHERE coordinates = 'local' AND detected_us >= ? AND detected_us < ?`, fromUs, toUs),
    );
    expect(f.excluded.sealed).toBe(await one(`SELECT count(*) FROM (${STANDING}) AS standing WHERE NOT ${notSealed()}`));
    expect(f.decided).toBe(await one(`SELECT count(*) FROM (${STANDING}) AS standing WHERE ${notSealed()}`));
    expect(f.undecided).toBe(f.alerts - f.decided - f.excluded.sealed);
    const confirmedWhere = `class IN ${GUNFIRE} AND (state IS NULL OR state <> 'cancelled') AND ${notSealed()}`;
    expect(f.confirmed).toBe(await one(`SELECT count(*) FROM (${STANDING}) AS standing WHERE ${confirmedWhere}`));
    expect(f.withdrawn).toBe(await one(`SELECT count(*) FROM (${STANDING}) AS standing WHERE class IN ${GUNFIRE} AND state = 'cancelled' AND ${notSealed()}`));
    expect(f.withdrawn).toBe(1);
    expect(f.rounds).toBe(await one(`SELECT coalesce(sum(rounds), 0) FROM (${STANDING}) AS standing WHERE ${confirmedWhere}`));
    expect(f.confirmedShare).toBeCloseTo(f.confirmed / f.decided, 12);
    // Per hour of day (the programme's zone is UTC here), and the nights add up to the whole.
    const perHour = (
      await testSql(core).rows<{ h: number; n: number }>(
        `SELECT ${utcHour('detected_us')} AS h, count(*) AS n FROM alerts
      WHERE coordinates = 'wgs84' AND detected_us >= ? AND detected_us < ? GROUP BY 1`,
        fromUs,
        toUs,
      )
    ).map((x) => ({ h: Number(x.h), n: Number(x.n) }));
    expect(f.hours.map((h) => h.alerts)).toEqual(Array.from({ length: 24 }, (_, h) => perHour.find((x) => x.h === h)?.n ?? 0));
    expect(f.hours.reduce((s, h) => s + h.confirmed, 0)).toBe(f.confirmed);
    expect(f.nights.reduce((s, n) => s + n.alerts, 0)).toBe(f.alerts);
    expect(f.nights.reduce((s, n) => s + n.rounds, 0)).toBe(f.rounds);
    expect(f.nights.map((n) => n.night)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04']);
    expect(f.alerts).toBeGreaterThan(40);
    expect(f.confirmed).toBeGreaterThan(10);
  });

  it("counts outcomes from each agency's newest report, and says how many are missing", async () => {
    const f = await figures();
    const CONFIRMED_SENT = `SELECT incident_id FROM (${STANDING}) AS standing WHERE class IN ${GUNFIRE} AND state <> 'cancelled' AND agencies > 0 AND ${notSealed()}`;
    const NEWEST = `SELECT o.* FROM outcomes o WHERE o.version = (SELECT max(version) FROM outcomes WHERE incident_id = o.incident_id AND agency_id = o.agency_id) AND o.incident_id IN (${CONFIRMED_SENT})`;
    expect(f.outcomes.sentToAgency).toBe(await one(`SELECT count(*) FROM (${CONFIRMED_SENT}) AS sent`));
    expect(f.outcomes.reported).toBe(await one(`SELECT count(DISTINCT incident_id) FROM (${NEWEST}) AS newest`));
    expect(f.outcomes.missing).toBe(f.outcomes.sentToAgency - f.outcomes.reported);
    expect(f.outcomes.missing).toBeGreaterThan(0);
    expect(f.outcomes.evidence).toBe(
      await one(
        `SELECT count(DISTINCT n.incident_id) FROM (${NEWEST}) n, ${jsonStrings('n.findings_json')} WHERE j.value IN ('shell_casings', 'victim', 'property_struck', 'firearm_recovered')`,
      ),
    );
    expect(f.outcomes.arrests).toBe(
      await one(`SELECT coalesce(sum(m), 0) FROM (SELECT max(arrests) AS m FROM (${NEWEST}) AS newest GROUP BY incident_id) AS per_incident`),
    );
    expect(f.outcomes.firearms).toBe(
      await one(`SELECT coalesce(sum(m), 0) FROM (SELECT max(firearms) AS m FROM (${NEWEST}) AS newest GROUP BY incident_id) AS per_incident`),
    );
    expect(f.outcomes.revised).toBe(await one(`SELECT count(DISTINCT incident_id) FROM (${NEWEST}) AS newest WHERE version > 1`));
    expect(f.outcomes.revised).toBeGreaterThan(0);
    for (const b of f.outcomes.byFinding) {
      expect(b.incidents, b.finding).toBe(
        await one(`SELECT count(DISTINCT n.incident_id) FROM (${NEWEST}) n, ${jsonStrings('n.findings_json')} WHERE j.value = ?`, b.finding),
      );
    }
    // Cost: 365,250 a year is 1,000 a day; three days.
    expect(f.cost!.period).toBeCloseTo(3000, 6);
    expect(f.cost!.perConfirmed).toBeCloseTo(3000 / f.confirmed, 6);
    expect(f.cost!.perArrest).toBe(f.outcomes.arrests > 0 ? 3000 / f.outcomes.arrests : null);
    // Every confirmed incident with a position is in exactly one cell.
    expect(f.grid.cells.reduce((s, c) => s + c.confirmed, 0) + f.grid.unplacedConfirmed).toBe(f.confirmed);
  });

  it("counts an agency's jurisdiction and a drawn polygon by where the shots were", async () => {
    const east = await figures({ kind: 'agency', agencyId: 2 });
    const inBox = (c: { lat: number; lon: number }, half: number) => `a.coordinates = 'wgs84' AND a.detected_us >= ${fromUs} AND a.detected_us < ${toUs}
      AND (SELECT ${jsonNumber('body_json', ['shots', 0, 'position', 'lat'])} FROM solutions s WHERE s.alert_id = a.id ORDER BY version DESC LIMIT 1) BETWEEN ${c.lat - half} AND ${c.lat + half}
      AND (SELECT ${jsonNumber('body_json', ['shots', 0, 'position', 'lon'])} FROM solutions s WHERE s.alert_id = a.id ORDER BY version DESC LIMIT 1) BETWEEN ${c.lon - half} AND ${c.lon + half}`;
    expect(east.alerts).toBe(await one(`SELECT count(*) FROM alerts a WHERE ${inBox(EAST, 0.05)}`));
    expect(east.excluded.unplaced).toBe(
      await one(
        `SELECT count(*) FROM alerts a WHERE a.coordinates = 'wgs84' AND a.detected_us >= ? AND a.detected_us < ? AND NOT EXISTS (SELECT 1 FROM solutions s WHERE s.alert_id = a.id)`,
        fromUs,
        toUs,
      ),
    );
    const drawn = await figures({ kind: 'polygon', geojson: squareJurisdiction(CITY, 0.02), name: 'Oak Park' });
    expect(drawn.alerts).toBe(await one(`SELECT count(*) FROM alerts a WHERE ${inBox(CITY, 0.02)}`));
    expect(drawn.area.name).toBe('Oak Park');
    const network = await figures();
    expect(east.alerts + drawn.alerts).toBeLessThan(network.alerts);
  });

  it('publishes no coordinate finer than its grid and no cell under k, in the CSV, the GeoJSON and the HTML', async () => {
    const report = await transparencyReport(core, { period: PERIOD, area: { kind: 'network' } });
    const f = await figures();
    const { k, cellM } = report.map;
    expect([k, cellM]).toEqual([3, 500]);
    expect(report.map.cells.length).toBeGreaterThan(0);
    expect(report.map.suppressedCells).toBeGreaterThan(0);
    expect(report.map.cells.reduce((s, c) => s + c.confirmed, 0) + report.map.suppressedIncidents + report.map.unplacedConfirmed).toBe(f.confirmed);

    const onGrid = (id: string, ring: number[][]) => {
      const [row, col] = id.split('_').map(Number) as [number, number];
      const b = cellBounds(cellM, row, col);
      expect(ring).toEqual([
        [b.west, b.south],
        [b.east, b.south],
        [b.east, b.north],
        [b.west, b.north],
        [b.west, b.south],
      ]);
    };
    const geo = JSON.parse(renderReport(report, 'geojson', 'ada').content) as {
      features: { id: string; properties: { confirmed_incidents: number }; geometry: { type: string; coordinates: number[][][] } }[];
    };
    expect(geo.features.length).toBe(report.map.cells.length);
    for (const feature of geo.features) {
      expect(feature.geometry.type).toBe('Polygon');
      expect(feature.properties.confirmed_incidents).toBeGreaterThanOrEqual(k);
      onGrid(feature.id, feature.geometry.coordinates[0]!);
    }

    const csv = parseCsv(renderReport(report, 'csv', 'ada').content);
    expect(csv[0]).toEqual(['figure', 'group', 'metric', 'value']);
    const cells = new Map<string, Record<string, number>>();
    for (const [figure, group, metric, value] of csv.slice(1)) {
      if (figure !== 'map_cell') continue;
      cells.set(group!, { ...cells.get(group!), [metric!]: Number(value) });
    }
    expect(cells.size).toBe(report.map.cells.length);
    for (const [id, c] of cells) {
      expect(c.confirmed).toBeGreaterThanOrEqual(k);
      onGrid(id, [
        [c.west!, c.south!],
        [c.east!, c.south!],
        [c.east!, c.north!],
        [c.west!, c.north!],
        [c.west!, c.south!],
      ]);
    }
    // No seeded shot position, to five decimals (about a metre), appears anywhere in any format.
    const html = renderReport(report, 'html', 'ada').content;
    for (const text of [html, renderReport(report, 'csv', 'ada').content, renderReport(report, 'geojson', 'ada').content]) {
      for (const p of placed) {
        expect(text).not.toContain(p.lat.toFixed(5));
        expect(text).not.toContain(p.lon.toFixed(5));
      }
    }
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/i);
  });

  it('refuses k and a cell size below their safe minimums, and a drawn area too small to publish, changing nothing', async () => {
    const before = await core.call(admin(), 'getProgrammeSettings', {});
    await expect(core.call(admin(), 'setProgrammeSettings', { k: 2 })).rejects.toThrow(/k is 3-100/);
    await expect(core.call(admin(), 'setProgrammeSettings', { cellM: 100 })).rejects.toThrow(/250-5000 m/);
    expect(await core.call(admin(), 'getProgrammeSettings', {})).toEqual(before);
    await expect(
      core.call(admin(), 'getTransparencyReport', { period: PERIOD, area: { kind: 'polygon', geojson: squareJurisdiction(CITY, 0.005), name: 'one block' } }),
    ).rejects.toThrow(/less than 16 map cells/);
  });
});

/** RFC 4180, written out here rather than trusting the writer's own reader. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}
