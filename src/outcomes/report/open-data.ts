import { FINDING_LABELS, type TransparencyReport } from '../../contract/index.ts';
import { formatIsoMicros } from '../../util/time.ts';

type Value = string | number | boolean | null;

/** A number as open data reads it: integers as they are, others to 7 decimals (1 cm of a degree), never in exponent form. */
const num = (v: number): string => (Number.isInteger(v) ? String(v) : String(Math.round(v * 1e7) / 1e7));

/** RFC 4180 field. Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers are left as numbers. */
function field(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'number') return num(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The report as one tidy CSV table for open-data portals: figure, group, metric, value (one
 * number a row), with the method of each figure as rows of figure `method`. Map cells carry their
 * four edges on the fixed grid and their count; no cell under k, no position finer than a cell.
 */
export function reportCsv(r: TransparencyReport): string {
  const f = r.figures;
  const rows: Value[][] = [['figure', 'group', 'metric', 'value']];
  const add = (figure: string, group: string, metric: string, value: Value) => rows.push([figure, group, metric, value]);
  add('report', '', 'title', r.title);
  add('report', '', 'period_from', f.period.fromDay);
  add('report', '', 'period_to', f.period.toDay);
  add('report', '', 'time_zone', f.period.timeZone);
  add('report', '', 'area', f.area.name);
  add('report', '', 'generated', formatIsoMicros(f.generatedUs));
  for (const [k, v] of [
    ['alerts', f.alerts],
    ['decided', f.decided],
    ['undecided', f.undecided],
    ['confirmed', f.confirmed],
    ['withdrawn', f.withdrawn],
    ['confirmed_share', f.confirmedShare],
    ['rounds', f.rounds],
    ['rounds_unknown', f.roundsUnknown],
    ['excluded_local_frame', f.excluded.localFrame],
    ['excluded_unplaced', f.excluded.unplaced],
    ['excluded_sealed', f.excluded.sealed],
  ] as const)
    add('totals', '', k, v);
  for (const n of f.nights) {
    add('night', n.night, 'alerts', n.alerts);
    add('night', n.night, 'confirmed', n.confirmed);
    add('night', n.night, 'rounds', n.rounds);
    add('night', n.night, 'partial', n.partial);
  }
  for (const h of f.hours) {
    add('hour', String(h.hour), 'alerts', h.alerts);
    add('hour', String(h.hour), 'confirmed', h.confirmed);
    add('hour', String(h.hour), 'rounds', h.rounds);
  }
  add('publication', '', 'published', f.publication.published);
  add('publication', '', 'no_shot_time', f.publication.noShotTime);
  for (const [name, l] of [
    ['shot_to_published', f.publication.shotToPublished],
    ['shot_to_delivered', f.publication.shotToDelivered],
  ] as const) {
    for (const k of ['n', 'meanS', 'p50S', 'p90S', 'maxS'] as const) add('publication', name, k, l[k]);
    for (const b of l.bins) add('publication', name, `bin_${b.fromS}_${b.toS ?? 'up'}_s`, b.count);
  }
  const o = f.outcomes;
  for (const [k, v] of [
    ['sent_to_agency', o.sentToAgency],
    ['not_sent', o.notSent],
    ['reported', o.reported],
    ['missing', o.missing],
    ['missing_share', o.missingShare],
    ['evidence', o.evidence],
    ['evidence_share_of_reported', o.evidenceShareOfReported],
    ['evidence_share_of_sent', o.evidenceShareOfSent],
    ['incidents_with_arrest', o.incidentsWithArrest],
    ['arrests', o.arrests],
    ['incidents_with_firearm', o.incidentsWithFirearm],
    ['firearms', o.firearms],
    ['revised', o.revised],
  ] as const)
    add('outcomes', '', k, v);
  for (const b of o.byFinding) add('outcomes', b.finding, 'incidents', b.incidents);
  if (f.cost) {
    for (const [k, v] of [
      ['currency', f.cost.currency],
      ['yearly', f.cost.yearly],
      ['period', f.cost.period],
      ['per_confirmed', f.cost.perConfirmed],
      ['per_evidence', f.cost.perEvidence],
      ['per_arrest', f.cost.perArrest],
      ['per_firearm', f.cost.perFirearm],
    ] as const)
      add('cost', '', k, v);
  }
  add('map', '', 'cell_m', r.map.cellM);
  add('map', '', 'k', r.map.k);
  add('map', '', 'suppressed_cells', r.map.suppressedCells);
  add('map', '', 'suppressed_incidents', r.map.suppressedIncidents);
  add('map', '', 'unplaced_confirmed', r.map.unplacedConfirmed);
  for (const c of r.map.cells) {
    for (const k of ['south', 'west', 'north', 'east', 'confirmed'] as const) add('map_cell', c.id, k, c[k]);
  }
  for (const [k, text] of Object.entries(r.methods)) add('method', k, 'text', text);
  return rows.map((row) => row.map(field).join(',')).join('\r\n') + '\r\n';
}

/**
 * The map as GeoJSON (RFC 7946): one Polygon feature per cell shown, its corners on the fixed
 * grid; what the map leaves out and how it was made ride in a foreign member.
 */
export function reportGeoJson(r: TransparencyReport): string {
  const f = r.figures;
  return (
    JSON.stringify(
      {
        type: 'FeatureCollection',
        earwitness: {
          title: r.title,
          periodFrom: f.period.fromDay,
          periodTo: f.period.toDay,
          timeZone: f.period.timeZone,
          area: f.area.name,
          cellM: r.map.cellM,
          k: r.map.k,
          confirmed: f.confirmed,
          suppressedCells: r.map.suppressedCells,
          suppressedIncidents: r.map.suppressedIncidents,
          unplacedConfirmed: r.map.unplacedConfirmed,
          method: r.methods.map,
          findings: FINDING_LABELS,
        },
        features: r.map.cells.map((c) => ({
          type: 'Feature',
          id: c.id,
          properties: { cell: c.id, confirmed_incidents: c.confirmed },
          geometry: {
            type: 'Polygon',
            coordinates: [
              [
                [c.west, c.south],
                [c.east, c.south],
                [c.east, c.north],
                [c.west, c.north],
                [c.west, c.south],
              ],
            ],
          },
        })),
      },
      null,
      1,
    ) + '\n'
  );
}
