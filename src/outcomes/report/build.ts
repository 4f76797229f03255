import { readFileSync } from 'node:fs';
import type { ProgrammeArea, ProgrammePeriod, TransparencyReport } from '../../contract/index.ts';
import type { CoreServices } from '../../kernel/services.ts';
import { sha256Hex } from '../../util/canonical.ts';
import { programmeFiguresTx } from '../figures/compute.ts';
import { reportHtml } from './html.ts';
import { reportCsv, reportGeoJson } from './open-data.ts';
import { publicReport } from './public.ts';

const SOFTWARE = `Earwitness ${(JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version}`;

/** The public report of a period and area: its figures, settings and area read in one read transaction. */
export async function transparencyReport(core: CoreServices, query: { period: ProgrammePeriod; area: ProgrammeArea }): Promise<TransparencyReport> {
  const nowUs = core.clock.nowUs();
  const { figures, settings, area } = await core.storePort.read((tx) => programmeFiguresTx(tx, query, nowUs));
  return publicReport(figures, { k: settings.k, areaM2: area.areaM2 });
}

export type ReportFormat = 'html' | 'csv' | 'geojson';

export const CONTENT_TYPES: Record<ReportFormat | 'pdf', string> = {
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  geojson: 'application/geo+json',
  pdf: 'application/pdf',
};

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40) || 'area';

/** The report rendered in one format, with its file name. */
export function renderReport(r: TransparencyReport, format: ReportFormat, generatedBy: string): { fileName: string; content: string; sha256: string } {
  const content = format === 'html' ? reportHtml(r, { generatedBy, software: SOFTWARE }) : format === 'csv' ? reportCsv(r) : reportGeoJson(r);
  const base = `earwitness-transparency-${slug(r.figures.area.name)}-${r.figures.period.fromDay}-to-${r.figures.period.toDay}`;
  return { fileName: `${base}.${format}`, content, sha256: sha256Hex(content) };
}

/** The audit entry of a report that left the system (a write of its own): what, for which period and area, and its hash. */
export async function recordReportExport(core: CoreServices, actor: string, r: TransparencyReport, format: string, sha256: string): Promise<void> {
  const now = core.clock.nowUs();
  await core.storePort.write((tx) =>
    tx.audit.append({
      atUs: now,
      actor,
      action: 'programme.report_exported',
      entity: 'programme',
      payload: {
        format,
        sha256,
        period: { from: r.figures.period.fromDay, to: r.figures.period.toDay, timeZone: r.figures.period.timeZone },
        area: r.figures.area,
        cellM: r.map.cellM,
        k: r.map.k,
      },
    }),
  );
}
