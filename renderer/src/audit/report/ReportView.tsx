import { useEffect, useRef, useState } from 'react';
import type { ContractError, MethodOutput } from '../../../../src/contract/index.ts';
import { useClient } from '../../client/context.tsx';
import { ErrorNote } from '../../ui/ErrorNote.tsx';
import { saveOutput, type SaveOutcome } from '../save.ts';

type Report = MethodOutput<'getAuditReport'>;

/**
 * Shows a report's HTML inside the app: parsed (never executed: the core's report has no script,
 * and the app's CSP would refuse one) and placed in a shadow root, so its print styles stay its
 * own. An iframe would be simpler, but the desktop shell refuses every frame navigation that is
 * not the app's own bundle, srcdoc included.
 */
function ReportPage({ html }: { html: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const root = el.shadowRoot ?? el.attachShadow({ mode: 'open' });
    const doc = new DOMParser().parseFromString(html, 'text/html');
    doc.querySelectorAll('script, meta, link, base').forEach((n) => n.remove());
    // The report styles its <body>; here the body is a div.
    const styles = [...doc.head.querySelectorAll('style')].map((s) => s.outerHTML.replace(/(^|[\s,}>])body(?=[\s,{.:#[])/g, '$1.report-body')).join('');
    // The report's page is white paper; :host keeps that whatever the app's theme.
    root.innerHTML = `<style>:host{display:block;background:#fff;color:#111;color-scheme:light}</style>${styles}<div class="report-body">${doc.body.innerHTML}</div>`;
  }, [html]);
  return <div ref={host} className="report-page" data-testid="report-page" />;
}

/**
 * The per-incident report for an agency or a court: read here, then downloaded (browser) or
 * saved through the native dialog as HTML or PDF (desktop). Opening it records that it was
 * generated, with its SHA-256, in the audit log.
 */
export function ReportView({ alertId }: { alertId: number }) {
  const client = useClient();
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [outcome, setOutcome] = useState<SaveOutcome | null>(null);
  const desktop = client.transport === 'electron';
  useEffect(() => {
    let live = true;
    void client.call('getAuditReport', { alertId }).then((r) => {
      if (!live) return;
      if (r.ok) setReport(r.value);
      else setError(r.error);
    });
    return () => {
      live = false;
    };
  }, [client, alertId]);

  const save = async (format: 'html' | 'pdf') => {
    if (!report) return;
    setOutcome(null);
    // Desktop: the save dialog, then the core writes (and prints a PDF); browser: a download of this seat.
    const name = format === 'pdf' ? report.fileName.replace(/\.html$/, '.pdf') : report.fileName;
    const { outcome } = await saveOutput(client, { purpose: 'report', defaultName: name, extension: format }, (to) =>
      client.call('saveAuditReportFile', { alertId, format, to }),
    );
    setOutcome(outcome);
  };

  if (error) return <ErrorNote error={error} context="The report could not be made" />;
  if (!report) return <p className="muted">Making the report (re-hashing every clip)…</p>;
  return (
    <div className="report-view" data-testid="report-view">
      <div className="report-actions">
        <button type="button" className="btn btn-small" onClick={() => void save('html')} data-testid="report-save-html">
          {desktop ? 'Save as HTML…' : 'Download HTML'}
        </button>
        {desktop && (
          <button type="button" className="btn btn-small" onClick={() => void save('pdf')} data-testid="report-save-pdf">
            Save as PDF…
          </button>
        )}
        <span className="muted report-hash" title="Recorded in the audit log as report.generated">
          SHA-256 {report.sha256.slice(0, 16)}… · chain head #{report.headSeq}
        </span>
        {outcome?.kind === 'saved' && <span className="ok-note">Saved {outcome.fileName}</span>}
        {outcome?.kind === 'downloaded' && <span className="ok-note">Downloaded {outcome.fileName}</span>}
      </div>
      {outcome?.kind === 'failed' && <ErrorNote error={outcome.error} context="Not saved" />}
      <ReportPage html={report.html} />
    </div>
  );
}
