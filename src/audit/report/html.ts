import { CLASS_LABELS, type AlertDetail, type Decision, type Solution, type Track } from '../../contract/index.ts';
import { formatIsoMicros } from '../../util/time.ts';
import type { IncidentHistory } from '../history.ts';
import { esc, mapSvg, waveformSvg } from './svg.ts';

export interface ReportInput {
  detail: AlertDetail;
  history: IncidentHistory;
  sensors: {
    track: Track;
    verified: boolean;
    spectrogram: { dataUrl: string; maxHz: number; floorDb: number } | null;
    peaks: Float32Array;
    peaksPerSecond: number;
  }[];
  /** Every message sent about the incident, oldest first, with where each went and how it fared. */
  messages: ReportMessage[];
  head: { seq: number; hash: string };
  generatedUs: number;
  generatedBy: string;
  software: string;
}

export interface ReportMessage {
  seq: number;
  msgType: string;
  identifier: string;
  sentUs: number;
  changes: string[];
  /** What the message says to its reader: the cancel reason, what an update changed. */
  note: string | null;
  deliveries: {
    agency: string;
    url: string;
    format: string;
    state: string;
    deliveredUs: number | null;
    attempts: number;
    lastStatus: number | null;
    lastError: string | null;
  }[];
}

const t = (us: number | null) => (us === null ? '—' : formatIsoMicros(us));
const num = (v: number | null | undefined, d = 1) => (v === null || v === undefined ? '—' : v.toFixed(d));
const pos = (p: AlertDetail['location']) =>
  p === null ? '—' : 'lat' in p ? `${p.lat.toFixed(6)}, ${p.lon.toFixed(6)}` : `x ${p.x.toFixed(1)} m, y ${p.y.toFixed(1)} m`;
const cls = (c: Decision['class']) => esc(CLASS_LABELS[c] ?? c);

/** Print-friendly CSS; no external fonts, no scripts: the file stands alone and prints to PDF. */
const CSS = `
@page { size: A4; margin: 14mm; }
body { font: 11px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; margin: 0 auto; max-width: 980px; padding: 16px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; border-bottom: 2px solid #1e3a5f; padding-bottom: 2px; margin: 22px 0 8px; break-after: avoid; }
h3 { font-size: 12px; margin: 12px 0 4px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 8px; } th, td { border: 1px solid #cbd5e1; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #eef2f7; } td.mono, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size: 10px; word-break: break-all; }
.meta td:first-child { width: 210px; font-weight: 600; background: #f8fafc; }
.sensor { break-inside: avoid; margin-bottom: 14px; } .spec { width: 100%; height: 110px; display: block; image-rendering: auto; }
.ok { color: #166534; font-weight: 600; } .bad { color: #b91c1c; font-weight: 700; } .undone { color: #6b7280; text-decoration: line-through; }
.note { color: #475569; } .seal { border: 2px solid #1e3a5f; padding: 8px; margin-top: 16px; break-inside: avoid; }
`;

function solutionBlock(s: Solution, d: AlertDetail): string {
  const shots = s.shots
    .map(
      (shot) => `<tr><td>${shot.index}</td><td class="mono">${esc(t(shot.timeUs))}</td><td>${esc(pos(shot.position))}</td>
    <td>${num(shot.local.x)}, ${num(shot.local.y)}</td><td>${shot.ellipse95 ? `${num(2 * shot.ellipse95.semiMajorM)} m by ${num(2 * shot.ellipse95.semiMinorM)} m (full axes), ${num(shot.ellipse95.azimuthDeg, 0)}°` : '—'}</td>
    <td>${esc(shot.sensorsUsed.join(', '))}</td><td>${num(shot.residualRmsMs, 2)}</td></tr>`,
    )
    .join('');
  return `<h3>Solution v${s.version} (${esc(s.origin)}, by ${esc(s.createdBy)}, ${esc(t(s.createdUs))})</h3>
  <table class="meta"><tr><td>Temperature</td><td>${num(s.temperatureC)} °C (${esc(s.temperatureSource)})</td></tr>
  <tr><td>Speed of sound used</td><td>${num(s.speedOfSoundMs, 2)} m/s</td></tr><tr><td>Rounds</td><td>${s.rounds}</td></tr>
  <tr><td>Frame</td><td>${d.coordinates === 'wgs84' && d.localOrigin ? `local east/north metres around ${d.localOrigin.lat.toFixed(6)}, ${d.localOrigin.lon.toFixed(6)}` : 'local metres as given by the source'}</td></tr></table>
  ${s.shots.length ? `<table><tr><th>Shot</th><th>Time (UTC)</th><th>Position</th><th>Local x, y (m)</th><th>95 % ellipse</th><th>Sensors used</th><th>Residual RMS (ms)</th></tr>${shots}</table>` : '<p class="note">No shot located.</p>'}`;
}

function messagesBlock(messages: readonly ReportMessage[]): string {
  if (messages.length === 0) return '<p class="note">Nothing was sent: the alert was never published.</p>';
  return messages
    .map((m) => {
      const rows = m.deliveries
        .map(
          (x) => `<tr><td>${esc(x.agency)}</td><td class="mono">${esc(x.url)}</td><td>${esc(x.format)}</td>
      <td class="${x.state === 'delivered' ? 'ok' : x.state === 'failed' ? 'bad' : ''}">${esc(x.state)}${x.lastStatus !== null ? ` (HTTP ${x.lastStatus})` : ''}</td>
      <td class="mono">${esc(t(x.deliveredUs))}</td><td>${x.attempts}</td><td>${esc(x.lastError ?? '')}</td></tr>`,
        )
        .join('');
      return `<h3>Message ${m.seq}: ${esc(m.msgType)} — sent ${esc(t(m.sentUs))}</h3>
    <table class="meta"><tr><td>Identifier</td><td class="mono">${esc(m.identifier)}</td></tr>
    <tr><td>What changed</td><td>${esc(m.changes.join(', ') || '—')}</td></tr>
    ${m.note ? `<tr><td>${m.msgType === 'Cancel' ? 'Reason given' : 'Note'}</td><td>${esc(m.note)}</td></tr>` : ''}</table>
    ${rows ? `<table><tr><th>To</th><th>Endpoint</th><th>Format</th><th>State</th><th>Delivered (UTC)</th><th>Attempts</th><th>Last error</th></tr>${rows}</table>` : '<p class="note">Routed to no agency.</p>'}`;
    })
    .join('');
}

export function renderReportHtml(r: ReportInput): string {
  const d = r.detail;
  const newest = d.solutions.at(-1) ?? null;
  const standing = [...d.decisions].reverse().find((x) => x.undoneUs === null) ?? null;
  const undoneBy = new Map(r.history.events.filter((e) => e.kind === 'decision_undone').map((e) => [e.decisionId, e]));
  const residual = (sensorId: string, shotIndex: number | null) => {
    const shot = newest?.shots.find((s) => s.index === shotIndex) ?? null;
    const v = shot?.residualsMs[sensorId];
    return v === undefined ? '—' : v.toFixed(2);
  };
  const map = mapSvg({
    sensors: d.tracks.map((tr) => ({ id: tr.sensorId, x: tr.local.x, y: tr.local.y, participating: tr.participating })),
    shots: (newest?.shots ?? []).map((s) => ({ index: s.index, x: s.local.x, y: s.local.y, ellipse: s.ellipse95 })),
    earlier: d.solutions.slice(0, -1).flatMap((s) => s.shots.map((shot) => ({ x: shot.local.x, y: shot.local.y, label: `v${s.version} shot ${shot.index}` }))),
  });
  const sensors = r.sensors
    .map((s) => {
      const tr = s.track;
      const picks = d.pulses
        .filter((p) => p.sensorId === tr.sensorId)
        .map((p) => ({
          offsetS: p.offsetS,
          origin: p.origin,
          label: `${p.shotIndex !== null ? `shot ${p.shotIndex}` : 'pick'}${p.origin === 'reviewer' ? ' (reviewer)' : ''}`,
        }));
      return `<div class="sensor"><h3>${esc(tr.sensorId)} — ${esc(pos(tr.position))}${tr.participating ? '' : ' (not used in the fix)'}</h3>
      <div class="note">Clip start ${esc(tr.clipStartIso)} · ${tr.clip.sampleRate} Hz ${esc(tr.clip.format)} · ${num(tr.clip.durationS, 3)} s · channel ${tr.channel}</div>
      ${waveformSvg({ peaks: s.peaks, peaksPerSecond: s.peaksPerSecond, durationS: tr.clip.durationS, picks, title: `Waveform of ${tr.sensorId}` })}
      ${s.spectrogram ? `<img class="spec" alt="Spectrogram of ${esc(tr.sensorId)}, 0 to ${Math.round(s.spectrogram.maxHz)} Hz" src="${s.spectrogram.dataUrl}"><div class="note">Spectrogram 0–${Math.round(s.spectrogram.maxHz)} Hz (bottom to top), ${s.spectrogram.floorDb} dB range.</div>` : '<p class="bad">The clip could not be read for a spectrogram.</p>'}
    </div>`;
    })
    .join('');
  const pulses = d.pulses
    .map(
      (p) => `<tr><td>${esc(p.sensorId)}</td><td>${p.shotIndex ?? '—'}</td><td class="mono">${esc(t(p.timeUs))}</td><td>${p.offsetS.toFixed(6)}</td>
    <td>${num(p.snrDb)}</td><td>${num(p.peakDbfs)}</td><td>${num(p.peakDbSpl)}</td><td>${residual(p.sensorId, p.shotIndex)}</td><td>${esc(p.origin)}</td></tr>`,
    )
    .join('');
  const versions = d.decisions
    .map((x) => {
      const u = undoneBy.get(x.id);
      return `<tr class="${x.undoneUs !== null ? 'undone' : ''}"><td>v${x.version}</td><td>${cls(x.class)}</td><td>${x.rounds ?? '—'}</td>
    <td>${[x.flags.fullyAutomatic ? 'fully automatic' : '', x.flags.multipleShooters ? 'multiple shooters' : ''].filter(Boolean).join(', ') || '—'}</td>
    <td>${esc(x.notes || '—')}</td><td>${esc(x.decidedBy)}</td><td class="mono">${esc(t(x.decidedUs))}</td><td>${x.reviewMs > 0 ? `${(x.reviewMs / 1000).toFixed(1)} s` : '—'}</td>
    <td>${x.undoneUs !== null ? `undone ${esc(t(x.undoneUs))}${u ? ` by ${esc(u.actor)}` : ''}` : x.id === standing?.id ? '<strong>stands</strong>' : `superseded by v${d.decisions.find((y) => y.version > x.version && y.undoneUs === null)?.version ?? '?'}`}</td></tr>`;
    })
    .join('');
  const timeline = r.history.events
    .map(
      (e) =>
        `<tr><td>${e.seq ?? '<span class="bad">none</span>'}</td><td class="mono">${esc(t(e.atUs))}</td><td>${esc(e.actor)}</td><td>${esc(e.summary)}</td></tr>`,
    )
    .join('');
  const clips = r.sensors
    .map(
      (s) => `<tr><td>${esc(s.track.sensorId)}</td><td class="mono">${esc(s.track.clip.sha256)}</td><td>${s.track.clip.bytes}</td>
    <td>${s.verified ? '<span class="ok">matches</span>' : '<span class="bad">DOES NOT MATCH</span>'}</td></tr>`,
    )
    .join('');
  const m = d.machine;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>Incident report: ${esc(d.source)} ${esc(d.externalId)}</title>
<style>${CSS}</style></head><body>
<h1>Incident report — ${esc(d.source)} ${esc(d.externalId)}</h1>
<div class="note">Alert ${esc(d.externalId)} of ${esc(d.source)} (record ${d.id} in this centre) · generated ${esc(t(r.generatedUs))} by ${esc(r.generatedBy)} with ${esc(r.software)}</div>
<h2>Summary</h2>
<table class="meta">
<tr><td>Detected</td><td class="mono">${esc(t(d.detectedUs))}</td></tr>
<tr><td>Imported</td><td class="mono">${esc(t(d.importedUs))} (${esc(d.format)})</td></tr>
<tr><td>Machine classification as received</td><td>${m ? `${esc(m.label)}${m.confidence !== null ? `, confidence ${(m.confidence * 100).toFixed(0)} %` : ''}${m.rounds !== null ? `, ${m.rounds} rounds` : ''}` : 'none'}</td></tr>
<tr><td>Standing decision</td><td>${standing ? `${cls(standing.class)} (v${standing.version}, ${esc(standing.decidedBy)}, ${esc(t(standing.decidedUs))})` : 'none'}</td></tr>
<tr><td>Decision versions</td><td>${d.decisions.length}${d.decisions.length > 1 ? ' — the decision was changed; every version is listed below' : ''}</td></tr>
<tr><td>Location (newest solution)</td><td>${esc(pos(d.location))}</td></tr>
<tr><td>Weather</td><td>${d.weather ? `${num(d.weather.temperatureC)} °C, RH ${num(d.weather.relativeHumidity, 0)} %, wind ${num(d.weather.windSpeedMs)} m/s from ${num(d.weather.windFromDeg, 0)}°` : 'not given'}</td></tr>
<tr><td>Sensors</td><td>${d.tracks.length}</td></tr>
</table>
<h2>Map</h2>
${map}
<div class="note">Local metres, north up. Blue triangles: sensors used in the fix (grey: not used). Red cross and ellipse: the fix and its 95 % confidence ellipse. Dashed circles: earlier solution versions.</div>
<h2>Solution</h2>
${
  d.solutions.length
    ? d.solutions
        .slice()
        .reverse()
        .map((s) => solutionBlock(s, d))
        .join('')
    : '<p class="note">No solution.</p>'
}
<h2>Pulses</h2>
<table><tr><th>Sensor</th><th>Shot</th><th>Arrival (UTC)</th><th>Offset in clip (s)</th><th>SNR (dB)</th><th>Peak (dBFS)</th><th>Peak (dB SPL)</th><th>Residual (ms)</th><th>Picked by</th></tr>${pulses || '<tr><td colspan="9">No pulses.</td></tr>'}</table>
<div class="note">Residuals are those of the newest solution (v${newest?.version ?? '—'}).</div>
<h2>Sensors: waveforms and spectrograms</h2>
${sensors}
<h2>Decision history</h2>
<table><tr><th>Version</th><th>Class</th><th>Rounds</th><th>Flags</th><th>Notes</th><th>By</th><th>At (UTC)</th><th>Review time</th><th>Status</th></tr>${versions || '<tr><td colspan="9">No decision.</td></tr>'}</table>
<h2>Messages sent to agencies</h2>
${messagesBlock(r.messages)}
<h3>Full timeline (from the audit log)</h3>
<table><tr><th>Entry</th><th>At (UTC)</th><th>Who</th><th>What</th></tr>${timeline}</table>
${r.history.unrecorded.length ? `<p class="bad">Version rows missing from the audit log: ${esc(r.history.unrecorded.join(', '))}</p>` : ''}
<h2>Audio evidence</h2>
<table><tr><th>Sensor</th><th>SHA-256 of the clip file</th><th>Bytes</th><th>Re-hashed at generation</th></tr>${clips}</table>
<div class="seal"><strong>Audit chain head at generation:</strong> entry ${r.head.seq}<br><span class="mono">${esc(r.head.hash)}</span>
<div class="note">Every change to this incident is an entry in a hash-chained log. To check this report against the record, run
<span class="mono">earwitness audit verify --anchor ${r.head.seq}:${esc(r.head.hash)}</span> on the system that produced it, or follow the recipe in docs/audit/README.md with an export of the chain.</div></div>
</body></html>`;
}
