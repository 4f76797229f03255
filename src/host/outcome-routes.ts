import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '../core/core.ts';
import { CALLBACK_MAX_BYTES, handleCallback } from '../outcomes/callback.ts';
import { checkFindings } from '../outcomes/findings.ts';
import { LINK_PATH, linkState, submitThroughLink } from '../outcomes/links.ts';
import { EMPTY_FORM, officerClosed, officerForm, officerReceived, type FormValues } from '../outcomes/officer-page.ts';
import { notesProblem } from '../outcomes/text.ts';
import { isUserError } from '../util/errors.ts';
import { declaredLength, methodNotAllowed, sendError, sendJson } from './respond.ts';

/** Where agencies' CADs post outcomes (see docs/outcomes/README.md). */
export const CALLBACK_PATH = '/outcomes/v1';
/** An officer's form is a few kilobytes at most (notes are capped at 4,000 characters). */
const FORM_MAX_BYTES = 32 * 1024;

/**
 * The officer's page gets a policy of its own, stricter than the app's: no script, no connection,
 * nothing from anywhere, styles inline only; its one form posts back to this very host.
 */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  // same-origin, not no-referrer: under no-referrer a browser posts the form with `Origin: null`,
  // which the host refuses; the page loads nothing from elsewhere, so the token in its address goes nowhere.
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  'x-robots-tag': 'noindex',
};

/** Whether a path is one of these routes: the host's one-line hook asks this first. */
export const isOutcomePath = (path: string): boolean => path === CALLBACK_PATH || path.startsWith(LINK_PATH);

/** Reads a body as raw bytes, up to `limit`; over it, null (the host reads and drops the rest). */
function readBytes(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (v: Buffer | null) => {
      if (!done) {
        done = true;
        resolve(v);
      }
    };
    const onData = (c: Buffer) => {
      size += c.byteLength;
      if (size > limit) {
        req.off('data', onData);
        finish(null);
      } else parts.push(c);
    };
    req.on('data', onData);
    req.on('end', () => finish(Buffer.concat(parts)));
    req.on('close', () => finish(null));
    req.on('error', () => finish(null));
  });
}

function page(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, { ...PAGE_HEADERS, 'content-length': String(Buffer.byteLength(html)) });
  res.end(html);
}

/**
 * `POST /outcomes/v1`: a CAD's signed outcome (checked in src/outcomes/callback.ts, where every
 * refusal happens before anything is written). `GET /o/<token>`: an officer's one-use form;
 * `POST /o/<token>`: its submission, recorded once, then the link says it was received.
 */
export async function handleOutcomeRoute(core: Core, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  if (path === CALLBACK_PATH) {
    if (req.method !== 'POST') return methodNotAllowed(res, ['POST']);
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return sendError(res, 415, 'invalid_input', 'send application/json');
    const declared = declaredLength(req);
    if (declared !== null && (Number.isNaN(declared) || declared > CALLBACK_MAX_BYTES))
      return sendError(res, 413, 'invalid_input', `a callback is at most ${CALLBACK_MAX_BYTES} bytes`);
    const body = await readBytes(req, CALLBACK_MAX_BYTES);
    if (!body) return sendError(res, 413, 'invalid_input', `a callback is at most ${CALLBACK_MAX_BYTES} bytes`);
    const answer = await handleCallback(core, req.headers, body);
    return sendJson(res, answer.status, answer.body);
  }
  const token = path.slice(LINK_PATH.length);
  if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'POST') return methodNotAllowed(res, ['GET', 'POST']);
  const state = await linkState(core, token);
  if (state.state === 'unknown') return page(res, 404, officerClosed('unknown'));
  const agency = state.link.agencyName;
  if (state.state === 'used') {
    const { incidentId, outcomeId } = state.link;
    const outcome = (await core.storePort.read((tx) => tx.outcomes.forIncident(incidentId))).find((o) => o.id === outcomeId) ?? null;
    return page(res, req.method === 'POST' ? 409 : 200, officerReceived({ agency, outcome, usedUs: state.link.usedUs! }));
  }
  if (state.state !== 'open') return page(res, 410, officerClosed(state.state));
  const form = (values: FormValues, error: string | null) =>
    officerForm({ agency, incidentTimeUs: state.incident.createdUs, expiresUs: state.link.expiresUs, values, error });
  if (req.method !== 'POST') return page(res, 200, form(EMPTY_FORM, null));

  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
    return page(res, 415, form(EMPTY_FORM, 'The form was not sent as a form.'));
  const body = await readBytes(req, FORM_MAX_BYTES);
  if (!body) return page(res, 413, form(EMPTY_FORM, 'The report is too long.'));
  const fields = new URLSearchParams(body.toString('utf8'));
  const values: FormValues = {
    findings: fields.getAll('finding'),
    arrests: fields.get('arrests')?.trim() ?? '',
    firearms: fields.get('firearms')?.trim() ?? '',
    unit: fields.get('unit')?.trim() ?? '',
    notes: (fields.get('notes') ?? '').replace(/\r\n/g, '\n'),
  };
  const refused = (message: string) => page(res, 400, form(values, message));
  const count = (text: string): number | null | 'bad' => (text === '' ? null : /^\d{1,3}$/.test(text) ? Number(text) : 'bad');
  const arrests = count(values.arrests);
  const firearms = count(values.firearms);
  if (arrests === 'bad' || firearms === 'bad') return refused('Counts are whole numbers.');
  if (values.unit === '' || values.unit.length > 100) return refused('Give your unit, call sign or badge (up to 100 characters).');
  const problem = notesProblem(values.unit) ?? (values.notes.length > 4000 ? 'is over 4,000 characters' : notesProblem(values.notes));
  if (problem) return refused(`The unit or the notes ${problem}.`);
  try {
    const findings = checkFindings({ findings: values.findings, arrests, firearms });
    const outcome = await submitThroughLink(core, token, { ...findings, notes: values.notes, unit: values.unit });
    return page(res, 201, officerReceived({ agency, outcome, usedUs: outcome.receivedUs }));
  } catch (e) {
    if (!isUserError(e)) throw e;
    return refused(`${e.message[0]!.toUpperCase()}${e.message.slice(1)}.`);
  }
}
