import { esc } from '../../audit/report/svg.ts';
import { FINDING_LABELS, type Latency, type TransparencyReport } from '../../contract/index.ts';
import { formatIsoMicros } from '../../util/time.ts';
import { barChartSvg, gridMapSvg } from './charts.ts';

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)} %`);
const secs = (v: number | null) => (v === null ? '—' : v < 120 ? `${v.toFixed(0)} s` : `${(v / 60).toFixed(1)} min`);
const money = (v: number | null, currency: string) =>
  v === null ? '—' : new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(v);

const CSS = `
@page { size: A4; margin: 14mm; }
body { font: 12px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; margin: 0 auto; max-width: 960px; padding: 18px; }
h1 { font-size: 21px; margin: 0 0 4px; } h2 { font-size: 15px; border-bottom: 2px solid #1e3a5f; padding-bottom: 2px; margin: 24px 0 6px; break-after: avoid; }
.sub { color: #475569; margin: 0 0 12px; }
.figure { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; break-inside: avoid; margin-bottom: 8px; }
.method { color: #334155; font-size: 11px; background: #f4f6f9; border-left: 3px solid #94a3b8; padding: 6px 9px; align-self: start; }
.method b { display: block; font-size: 10px; text-transform: uppercase; letter-spacing: .05em; color: #475569; }
table { border-collapse: collapse; width: 100%; margin: 2px 0 6px; } th, td { border: 1px solid #cbd5e1; padding: 3px 6px; text-align: left; }
th { background: #eef2f7; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.tiles { display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; margin: 10px 0; }
.tile { border: 1px solid #cbd5e1; border-radius: 4px; padding: 8px; } .tile .v { font-size: 20px; font-weight: 700; } .tile .l { color: #475569; font-size: 11px; }
.warn { border: 1px solid #d97706; background: #fffbeb; padding: 6px 9px; }
footer { margin-top: 24px; color: #64748b; font-size: 10px; }
@media (max-width: 700px) { .figure { grid-template-columns: 1fr; } .tiles { grid-template-columns: repeat(2, 1fr); } }
`;

const section = (title: string, body: string, method: string | undefined) =>
  `<h2>${esc(title)}</h2><div class="figure"><div>${body}</div><aside class="method"><b>How this is counted</b>${esc(method ?? '')}</aside></div>`;
const tile = (v: string | number, l: string) => `<div class="tile"><div class="v">${esc(v)}</div><div class="l">${esc(l)}</div></div>`;
const table = (head: string[], rows: (string | number)[][]) =>
  `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td class="${typeof c === 'number' ? 'n' : ''}">${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
const latencyRows = (name: string, l: Latency): (string | number)[] => [name, l.n, secs(l.p50S), secs(l.p90S), secs(l.maxS)];

/**
 * The transparency report as one HTML file that stands alone (inline CSS and SVG, no script, no
 * external resource): readable in any browser, printable to PDF, fit to hand to a council. It
 * holds aggregates only: no alert, no person, no position finer than a map cell.
 */
export function reportHtml(r: TransparencyReport, o: { generatedBy: string; software: string }): string {
  const f = r.figures;
  const m = r.methods;
  const o2 = f.outcomes;
  const excludedNote = [
    f.excluded.sealed
      ? `${f.excluded.sealed} decided alert${f.excluded.sealed === 1 ? '' : 's'} under blind quality review (sealed until the review is in)`
      : '',
    f.excluded.localFrame ? `${f.excluded.localFrame} research recording${f.excluded.localFrame === 1 ? '' : 's'} in local metres` : '',
    f.excluded.unplaced ? `${f.excluded.unplaced} alert${f.excluded.unplaced === 1 ? '' : 's'} with no located position (placed in no area)` : '',
  ].filter(Boolean);
  const nights = f.nights.map((n) => n.night.slice(5) + (n.partial ? '*' : ''));
  const body = [
    `<h1>${esc(r.title)}</h1>`,
    `<p class="sub">${esc(f.area.name)} · ${esc(f.period.fromDay)} to ${esc(f.period.toDay)} (${f.period.days} days, ${esc(f.period.timeZone)}) · generated ${esc(formatIsoMicros(f.generatedUs))}</p>`,
    `<div class="tiles">${tile(f.alerts, 'alerts')}${tile(f.confirmed, 'confirmed incidents')}${tile(pct(f.confirmedShare), 'of decided alerts confirmed as gunfire')}${tile(f.rounds, 'rounds in confirmed incidents')}` +
      `${tile(o2.reported, `incidents with an outcome reported, of ${o2.sentToAgency} sent`)}${tile(pct(o2.missingShare), 'sent with no outcome reported')}${tile(o2.evidence, 'incidents with evidence of gunfire')}${tile(`${o2.arrests} · ${o2.firearms}`, 'arrests · firearms recovered')}</div>`,
    excludedNote.length ? `<p class="warn">Left out of these figures: ${esc(excludedNote.join('; '))}.</p>` : '',
    section(
      'Alerts and confirmed incidents',
      table(
        ['', 'count'],
        [
          ['Alerts', f.alerts],
          ['Decided', f.decided],
          ['Not yet decided', f.undecided],
          ['Confirmed as gunfire', f.confirmed],
          ['Share of decided confirmed', pct(f.confirmedShare)],
          ['Withdrawn after publishing', f.withdrawn],
          ['Rounds in confirmed incidents', f.rounds],
          ['Confirmed with no round count', f.roundsUnknown],
        ],
      ),
      `${m.alerts} ${m.confirmed} ${m.share} ${m.rounds}`,
    ),
    section(
      'Per night',
      barChartSvg({
        title: 'Alerts, confirmed incidents and rounds per night',
        categories: nights,
        series: [
          { name: 'alerts', values: f.nights.map((n) => n.alerts) },
          { name: 'confirmed', values: f.nights.map((n) => n.confirmed) },
          { name: 'rounds', values: f.nights.map((n) => n.rounds) },
        ],
      }) + '<p class="sub">* a night only partly inside the period</p>',
      m.nights,
    ),
    section(
      'Per hour of day',
      barChartSvg({
        title: 'Alerts, confirmed incidents and rounds per hour of day',
        categories: f.hours.map((h) => String(h.hour).padStart(2, '0')),
        series: [
          { name: 'alerts', values: f.hours.map((h) => h.alerts) },
          { name: 'confirmed', values: f.hours.map((h) => h.confirmed) },
          { name: 'rounds', values: f.hours.map((h) => h.rounds) },
        ],
      }),
      m.hours,
    ),
    section(
      'From shot to publication',
      table(
        ['', 'incidents', 'median', '90th percentile', 'longest'],
        [latencyRows('Shot to published', f.publication.shotToPublished), latencyRows('Shot to first delivery acknowledged', f.publication.shotToDelivered)],
      ) +
        barChartSvg({
          title: 'Shot to published, seconds',
          categories: f.publication.shotToPublished.bins.map((b) => (b.toS === null ? `≥ ${b.fromS}` : `${b.fromS}–${b.toS}`)),
          series: [{ name: 'incidents', values: f.publication.shotToPublished.bins.map((b) => b.count) }],
          height: 170,
        }) +
        (f.publication.noShotTime ? `<p class="sub">${f.publication.noShotTime} published incident(s) had no located shot time.</p>` : ''),
      m.publication,
    ),
    section(
      'What responders found',
      table(
        ['', 'incidents', 'share of those reported'],
        [
          ['Confirmed incidents sent to an agency', o2.sentToAgency, ''],
          ['… with an outcome reported', o2.reported, ''],
          ['… with no outcome reported (missing)', o2.missing, pct(o2.missingShare) + ' of those sent'],
          ...o2.byFinding.map((b) => [FINDING_LABELS[b.finding], b.incidents, pct(o2.reported ? b.incidents / o2.reported : null)] as (string | number)[]),
          ['Evidence of gunfire (any of the above but arrest)', o2.evidence, `${pct(o2.evidenceShareOfReported)} (${pct(o2.evidenceShareOfSent)} of all sent)`],
          ['Arrests (people)', o2.arrests, `${o2.incidentsWithArrest} incidents`],
          ['Firearms recovered', o2.firearms, `${o2.incidentsWithFirearm} incidents`],
          ['Confirmed incidents never sent to an agency', o2.notSent, ''],
          ['Outcomes corrected or completed by a later report', o2.revised, ''],
        ],
      ),
      `${m.outcomes} ${m.missing}`,
    ),
    f.cost
      ? section(
          'Cost per outcome',
          table(
            ['', f.cost.currency],
            [
              ['Yearly cost of the programme', money(f.cost.yearly, f.cost.currency)],
              [`Cost of the period (${f.period.days} days)`, money(f.cost.period, f.cost.currency)],
              ['Per confirmed incident', money(f.cost.perConfirmed, f.cost.currency)],
              ['Per incident with evidence of gunfire', money(f.cost.perEvidence, f.cost.currency)],
              ['Per arrest', money(f.cost.perArrest, f.cost.currency)],
              ['Per firearm recovered', money(f.cost.perFirearm, f.cost.currency)],
            ],
          ),
          m.cost,
        )
      : section('Cost per outcome', "<p>The programme's yearly cost has not been entered.</p>", m.cost),
    section(
      `Where: confirmed incidents per ${r.map.cellM} m cell`,
      gridMapSvg(r.map.cells, { cellM: r.map.cellM }) +
        `<p class="sub">${r.map.cells.length} cells shown; ${r.map.suppressedCells} cells with fewer than ${r.map.k} incidents (${r.map.suppressedIncidents} incidents) and ${r.map.unplacedConfirmed} incidents with no position are left off the map but counted above.</p>`,
      m.map,
    ),
    section('Period and area', `<p>${esc(f.area.name)}, ${esc(f.period.fromDay)} to ${esc(f.period.toDay)}.</p>`, m.period),
    `<footer>Made by ${esc(o.software)} for ${esc(o.generatedBy)}. Aggregates only: no alert, person or position finer than a ${r.map.cellM} m cell is in this report. The same figures are available as open data (CSV, GeoJSON).</footer>`,
  ].join('\n');
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">` +
    `<title>${esc(r.title)}</title><style>${CSS}</style></head><body>${body}</body></html>\n`
  );
}
