import { esc } from '../audit/report/svg.ts';
import { FINDING_LABELS, OUTCOME_FINDINGS, type OutcomeVersion } from '../contract/index.ts';
import { MAX_COUNT } from './findings.ts';

/**
 * The page an officer opens from a link on a phone: plain HTML with its style inline and no
 * script at all, so it works on any phone browser and under a policy that forbids every script.
 * It names the incident only by its time and agency: the link may be forwarded, and nothing on
 * the page is more than the officer was dispatched with.
 */

/** A time as an officer reads it: to the minute, in UTC, said so. */
const minute = (us: number): string => `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

const CSS = `
body { font: 17px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111; margin: 0; background: #f4f6f9; }
main { max-width: 34rem; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.3rem; margin: 4px 0 6px; } p.sub { color: #475569; margin: 0 0 14px; }
fieldset { border: 1px solid #cbd5e1; border-radius: 8px; background: #fff; margin: 0 0 14px; padding: 8px 12px 12px; }
legend { font-weight: 600; padding: 0 4px; }
label.check { display: flex; align-items: center; gap: 12px; min-height: 44px; border-bottom: 1px solid #eef2f7; }
label.check:last-of-type { border-bottom: 0; }
input[type=checkbox] { width: 24px; height: 24px; flex: none; }
label.field { display: block; margin: 8px 0 2px; font-weight: 600; }
input[type=number], input[type=text], textarea { box-sizing: border-box; width: 100%; font: inherit; padding: 10px; border: 1px solid #94a3b8; border-radius: 6px; }
textarea { min-height: 6rem; }
button { width: 100%; min-height: 52px; font: inherit; font-weight: 700; color: #fff; background: #1e3a5f; border: 0; border-radius: 8px; }
.error { border: 1px solid #b91c1c; background: #fef2f2; color: #7f1d1d; padding: 10px 12px; border-radius: 6px; margin: 0 0 14px; }
.done { border: 1px solid #15803d; background: #f0fdf4; padding: 12px; border-radius: 8px; }
small { color: #475569; }
`;

/** The page around a body: one viewport, no script, no external resource. */
export function officerPage(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<meta name="referrer" content="same-origin"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${CSS}</style></head>` +
    `<body><main>${body}</main></body></html>\n`
  );
}

export interface FormValues {
  findings: readonly string[];
  arrests: string;
  firearms: string;
  unit: string;
  notes: string;
}

export const EMPTY_FORM: FormValues = { findings: [], arrests: '', firearms: '', unit: '', notes: '' };

/** The report form for one incident, filled with what was sent (after a refusal) and the refusal's reason. */
export function officerForm(o: { agency: string; incidentTimeUs: number; expiresUs: number; values: FormValues; error: string | null }): string {
  const v = o.values;
  const checks = OUTCOME_FINDINGS.map(
    (f) =>
      `<label class="check"><input type="checkbox" name="finding" value="${f}"${v.findings.includes(f) ? ' checked' : ''}>${esc(FINDING_LABELS[f])}</label>`,
  ).join('');
  return officerPage(
    'Report what was found',
    [
      '<h1>What did responders find?</h1>',
      `<p class="sub">Acoustic gunshot alert of ${esc(minute(o.incidentTimeUs))} sent to ${esc(o.agency)}. This link works once, until ${esc(minute(o.expiresUs))}.</p>`,
      o.error ? `<p class="error" role="alert">${esc(o.error)} Nothing was recorded; correct it and send again.</p>` : '',
      '<form method="post" autocomplete="off">',
      `<fieldset><legend>Findings (tick all that apply)</legend>${checks}</fieldset>`,
      '<fieldset><legend>Counts</legend>',
      `<label class="field" for="arrests">Arrests</label><input id="arrests" name="arrests" type="number" inputmode="numeric" min="0" max="${MAX_COUNT}" value="${esc(v.arrests)}">`,
      `<label class="field" for="firearms">Firearms recovered</label><input id="firearms" name="firearms" type="number" inputmode="numeric" min="0" max="${MAX_COUNT}" value="${esc(v.firearms)}">`,
      '<small>Left empty, a ticked arrest or firearm counts as one.</small></fieldset>',
      '<fieldset><legend>Who reports</legend>',
      `<label class="field" for="unit">Unit, call sign or badge</label><input id="unit" name="unit" type="text" maxlength="100" required value="${esc(v.unit)}">`,
      `<label class="field" for="notes">Notes (optional)</label><textarea id="notes" name="notes" maxlength="4000">${esc(v.notes)}</textarea></fieldset>`,
      '<button type="submit">Send the report</button>',
      '</form>',
    ].join(''),
  );
}

/** What the officer sees once the report is in, and whenever the used link is opened again. */
export function officerReceived(o: { agency: string; outcome: OutcomeVersion | null; usedUs: number }): string {
  const what = o.outcome ? o.outcome.findings.map((f) => FINDING_LABELS[f]).join(', ') : null;
  return officerPage(
    'Report received',
    [
      '<h1>Report received</h1>',
      `<div class="done" role="status"><p>The report for ${esc(o.agency)} was received on ${esc(minute(o.usedUs))}${what ? `: ${esc(what)}` : ''}.</p>`,
      '<p>This link has been used and cannot be used again. To add or correct something, ask the review centre for a new link.</p></div>',
    ].join(''),
  );
}

/** An expired, replaced or unknown link: says which, never which incident. */
export function officerClosed(state: 'expired' | 'replaced' | 'unknown'): string {
  const why = {
    expired: 'This link has expired.',
    replaced: 'This link was replaced by a newer one for the same incident.',
    unknown: 'This link is not known. Check that it was copied whole.',
  }[state];
  return officerPage(
    'Link closed',
    `<h1>Link closed</h1><p class="error">${esc(why)}</p><p>Ask the review centre for a new link if a report is still to be made.</p>`,
  );
}
