/** Styles of the publishing panels, scoped under .ew-publish and shipped with the components (no CSS import to wire). */
export const PUBLISH_CSS = `
/* The seat's theme tokens when inside the app (dark or light as chosen in Settings); the fallbacks serve pages without them. */
.ew-publish {
  --ew-bg: var(--bg, #16181d);
  --ew-panel: var(--panel, #1e2128);
  --ew-line: var(--border, #323743);
  --ew-text: var(--text, #e6e8ee);
  --ew-dim: var(--muted, #9aa3b5);
  --ew-ok: var(--ok, #3fb96f);
  --ew-warn: var(--amber, #e0a43a);
  --ew-bad: var(--gun, #ec5b5b);
  --ew-info: var(--accent, #5aa2f0);
  color: var(--ew-text);
  background: var(--ew-bg);
  font: 13px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif;
  padding: 12px 16px;
}
@media (prefers-color-scheme: light) {
  :root:not([data-theme]) .ew-publish { --ew-bg: #fafbfc; --ew-panel: #ffffff; --ew-line: #d9dde5; --ew-text: #1d2129; --ew-dim: #5d6677; }
}
.ew-publish h2 { font-size: 15px; margin: 4px 0 10px; font-weight: 600; }
.ew-publish h3 { font-size: 13px; margin: 16px 0 6px; font-weight: 600; color: var(--ew-dim); text-transform: uppercase; letter-spacing: 0.04em; }
.ew-publish section { background: var(--ew-panel); border: 1px solid var(--ew-line); border-radius: 6px; padding: 10px 12px; margin-bottom: 12px; }
.ew-publish table { border-collapse: collapse; width: 100%; }
.ew-publish th { text-align: left; font-weight: 500; color: var(--ew-dim); border-bottom: 1px solid var(--ew-line); padding: 4px 8px 4px 0; }
.ew-publish td { border-bottom: 1px solid var(--ew-line); padding: 5px 8px 5px 0; vertical-align: top; }
.ew-publish tr:last-child td { border-bottom: none; }
.ew-publish .dim { color: var(--ew-dim); }
.ew-publish .mono { font-family: ui-monospace, 'DejaVu Sans Mono', monospace; font-size: 12px; }
.ew-publish .error { color: var(--ew-bad); margin: 6px 0; }
.ew-publish .note { color: var(--ew-dim); margin: 4px 0; }
.ew-publish button {
  font: inherit; color: var(--ew-text); background: transparent; border: 1px solid var(--ew-line); border-radius: 4px;
  padding: 3px 10px; cursor: pointer;
}
.ew-publish button:hover:not(:disabled) { border-color: var(--ew-info); }
.ew-publish button:disabled { opacity: 0.5; cursor: default; }
.ew-publish button.primary { background: var(--ew-info); border-color: var(--ew-info); color: #fff; }
.ew-publish button.danger { border-color: var(--ew-bad); color: var(--ew-bad); }
.ew-publish input[type='text'], .ew-publish input[type='url'], .ew-publish input[type='password'], .ew-publish select {
  font: inherit; color: var(--ew-text); background: var(--ew-bg); border: 1px solid var(--ew-line); border-radius: 4px; padding: 3px 6px;
}
.ew-publish label { display: inline-flex; gap: 6px; align-items: center; margin-right: 12px; }
.ew-publish .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
.ew-publish .badge { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; border: 1px solid currentColor; }
.ew-publish .badge.delivered, .ew-publish .badge.routed { color: var(--ew-ok); }
.ew-publish .badge.sending, .ew-publish .badge.pending { color: var(--ew-info); }
.ew-publish .badge.failed, .ew-publish .badge.unrouted { color: var(--ew-bad); }
.ew-publish .badge.cancelled, .ew-publish .badge.held { color: var(--ew-dim); }
.ew-publish .badge.retrying { color: var(--ew-warn); }
.ew-publish .attempts { margin: 6px 0 4px; }
.ew-publish .attempts td { border-bottom: 1px dashed var(--ew-line); }

/* Inside a narrow panel (the decision panel beside the map): one delivery per block instead of a wide table. */
.ew-publish { container: ew-publish / inline-size; }
.decision-publication .ew-publish { padding: 6px 0 0; background: none; }
@container ew-publish (max-width: 560px) {
  .ew-publish table.deliveries, .ew-publish table.deliveries > tbody { display: block; }
  .ew-publish table.deliveries > thead { display: none; }
  .ew-publish tr.delivery { display: flex; flex-wrap: wrap; align-items: baseline; gap: 2px 8px; padding: 6px 0; border-top: 1px solid var(--ew-line); }
  .ew-publish tr.delivery > td { display: block; border: 0; padding: 0; }
  .ew-publish tr.delivery .c-agency { flex: 1 1 calc(100% - 130px); min-width: 0; font-weight: 600; }
  .ew-publish tr.delivery .c-endpoint { font-weight: 400; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .ew-publish tr.delivery .c-state { order: -1; }
  .ew-publish tr.delivery .c-attempts::before { content: attr(data-label) ' '; color: var(--ew-dim); }
  .ew-publish tr.delivery .c-actions { margin-left: auto; }
  .ew-publish tr.delivery .c-actions .row { margin: 0; }
  .ew-publish tr.why, .ew-publish tr.why > td { display: block; border: 0; padding: 0 0 6px; }
  .ew-publish .attempts .c-started, .ew-publish .attempts .c-latency { display: none; }
  .ew-publish .attempts td, .ew-publish .attempts th { padding-right: 6px; font-size: 12px; }
  .ew-publish .attempts .mono { word-break: break-word; }
}
.ew-publish .endpoint { border-top: 1px dashed var(--ew-line); padding-top: 6px; margin-top: 6px; }
.ew-publish details.endpoint-tls { margin: 2px 0 4px; }
.ew-publish details.endpoint-tls > summary { cursor: pointer; color: var(--ew-dim); }
.ew-publish details.endpoint-tls > summary:focus-visible { outline: 2px solid var(--ew-info); outline-offset: 2px; }
`;
