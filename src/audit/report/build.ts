import { createHash } from 'node:crypto';
import { REPORT_PDF_OPTIONS } from '../../contract/audit.ts';
import type { AlertDetail } from '../../contract/index.ts';
import type { CoreServices } from '../../kernel/services.ts';
import type { StoreTx } from '../../kernel/store-port.ts';
import { decodeChannel, parseWav } from '../../audio/wav.ts';
import { UserError } from '../../util/errors.ts';
import { recordAnchor } from '../anchors.ts';
import { incidentHistory } from '../history.ts';
import { renderReportHtml, type ReportInput, type ReportMessage } from './html.ts';
import { spectrogram } from './spectrogram.ts';

export interface BuiltReport {
  alertId: number;
  html: string;
  fileName: string;
  sha256: string;
  headSeq: number;
  headHash: string;
  generatedUs: number;
  pdf: { pageSize: 'A4'; printBackground: boolean; landscape: boolean };
}

/**
 * The per-incident report: gathers the alert, its history, every clip (re-hashed now), the
 * spectrograms and the chain head, renders one self-contained HTML file, and records that it
 * was generated (with the HTML's SHA-256) as an audit entry, so the report is itself anchored.
 */
/** Every message of the alert's incident and its deliveries; the note of each from the entry that sent it. */
async function messagesOf(tx: StoreTx, alertId: number, history: Awaited<ReturnType<typeof incidentHistory>>): Promise<ReportMessage[]> {
  const incident = await tx.incidents.byAlert(alertId);
  if (!incident) return [];
  const notes = new Map<string, string>();
  for (const e of history.events) {
    const p = e.data as { identifier?: unknown; note?: unknown } | null;
    if (p && typeof p.identifier === 'string' && typeof p.note === 'string' && p.note) notes.set(p.identifier, p.note);
  }
  const deliveries = await tx.deliveries.list({ incidentId: incident.id, limit: 10_000 });
  return (await tx.incidents.messages(incident.id)).map((m) => ({
    seq: m.seq,
    msgType: m.msgType,
    identifier: m.identifier,
    sentUs: m.sentUs,
    changes: m.changes,
    note: notes.get(m.identifier) ?? null,
    deliveries: deliveries
      .filter((d) => d.messageId === m.id)
      .sort((a, b) => a.id - b.id)
      .map((d) => ({
        agency: d.agencyName,
        url: d.url,
        format: d.format,
        state: d.state,
        deliveredUs: d.deliveredUs,
        attempts: d.attempts,
        lastStatus: d.lastStatus,
        lastError: d.lastError,
      })),
  }));
}

export async function buildReport(core: CoreServices, alertId: number, actor: string): Promise<BuiltReport> {
  const { storePort, clips, clock } = core;
  // One read (a snapshot on PostgreSQL): the history, messages and head agree with each other.
  const facts = await storePort.read(async (tx) => {
    const detail: AlertDetail | undefined = await tx.alerts.detail(alertId);
    if (!detail) throw new UserError('not_found', `no alert ${alertId}`);
    const history = await incidentHistory(tx, alertId);
    return {
      detail,
      history,
      peaks: new Map((await tx.alerts.peaks(alertId)).map((p) => [p.sensorId, p])),
      messages: await messagesOf(tx, alertId, history),
      head: (await tx.audit.last()) ?? { seq: 0, hash: '0'.repeat(64) },
    };
  });
  const { detail, history, peaks, messages, head } = facts;
  const sensors: ReportInput['sensors'] = detail.tracks.map((t) => {
    let verified = false;
    let spec: ReportInput['sensors'][number]['spectrogram'] = null;
    try {
      const bytes = clips.read(t.clip.sha256);
      verified = createHash('sha256').update(bytes).digest('hex') === t.clip.sha256;
      const info = parseWav(bytes);
      const s = spectrogram(decodeChannel(bytes, info, t.channel), info.sampleRate);
      spec = { dataUrl: `data:image/png;base64,${s.png.toString('base64')}`, maxHz: s.maxHz, floorDb: s.floorDb };
    } catch {
      /* a missing or unreadable clip is shown as such in the report */
    }
    const p = peaks.get(t.sensorId);
    return { track: t, verified, spectrogram: spec, peaks: p?.peaks ?? new Float32Array(0), peaksPerSecond: p?.peaksPerSecond ?? 1 };
  });
  const generatedUs = clock.nowUs();
  const html = renderReportHtml({
    detail,
    history,
    sensors,
    messages,
    head,
    generatedUs,
    generatedBy: actor,
    software: `earwitness ${core.version}`,
  });
  const sha256 = createHash('sha256').update(html, 'utf8').digest('hex');
  await storePort.write((tx) =>
    tx.audit.append({
      atUs: generatedUs,
      actor,
      action: 'report.generated',
      entity: `alert:${alertId}`,
      payload: { alertId, headSeq: head.seq, headHash: head.hash, htmlSha256: sha256 },
    }),
  );
  if (head.seq > 0) recordAnchor(core.config.dataDir, { seq: head.seq, hash: head.hash, atUs: generatedUs, reason: `report alert ${alertId}` });
  const safe = `${detail.source}-${detail.externalId}`.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return {
    alertId,
    html,
    fileName: `earwitness-report-${alertId}-${safe}.html`,
    sha256,
    headSeq: head.seq,
    headHash: head.hash,
    generatedUs,
    pdf: { pageSize: REPORT_PDF_OPTIONS.pageSize, printBackground: REPORT_PDF_OPTIONS.printBackground, landscape: REPORT_PDF_OPTIONS.landscape },
  };
}
