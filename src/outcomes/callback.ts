import { z } from 'zod';
import { OUTCOME_FINDINGS } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { isUserError, UserError } from '../util/errors.ts';
import { plainText, printableId, isoTime, describeZodIssues } from '../util/schemas.ts';
import { notesText } from './text.ts';
import { parseStrictJsonBytes } from '../util/strict-json.ts';
import { formatIsoMicros, parseIsoMicros } from '../util/time.ts';
import { checkFindings } from './findings.ts';
import { incidentIdFromKey } from './incident-key.ts';
import { recordOutcome } from './record.ts';
import { CALLBACK_WINDOW_S, OUTCOME_HEADERS, outcomeSignature, signatureDigest, signatureMatches } from './signing.ts';

/** A callback body is a few hundred bytes; this leaves room for long notes and nothing more. */
export const CALLBACK_MAX_BYTES = 64 * 1024;

/** The body a CAD sends: unknown fields are refused, so a typo is not silently dropped. */
export const CallbackBody = z
  .object({
    incident: z.string().max(100),
    findings: z.array(z.enum(OUTCOME_FINDINGS)).min(1).max(OUTCOME_FINDINGS.length),
    arrests: z.number().int().min(0).max(1000).optional(),
    firearms: z.number().int().min(0).max(1000).optional(),
    notes: notesText(4000).default(''),
    unit: plainText(100).optional(),
    reference: printableId(100).optional(),
    reportedAt: isoTime().optional(),
  })
  .strict();

export interface CallbackAnswer {
  status: number;
  body:
    { ok: true; value: { outcomeId: number; version: number; incident: string; received: string } } | { ok: false; error: { code: string; message: string } };
}

const refuse = (status: number, code: string, message: string): CallbackAnswer => ({ status, body: { ok: false, error: { code, message } } });

/**
 * One outcome callback from an agency's CAD, checked in this order and refused before anything
 * is written when it is unsigned, signed with an unknown or retired key, signed wrongly, outside
 * the timestamp window, a replay, malformed, or about an incident that was not sent to the key's
 * agency (answered as for an incident that does not exist). Accepted, it adds an outcome version.
 */
export async function handleCallback(core: CoreServices, headers: Record<string, string | string[] | undefined>, body: Buffer): Promise<CallbackAnswer> {
  const header = (name: string): string | null => {
    const v = headers[name];
    return typeof v === 'string' && v.length > 0 ? v : null;
  };
  const keyId = header(OUTCOME_HEADERS.key);
  const timestamp = header(OUTCOME_HEADERS.timestamp);
  const signature = header(OUTCOME_HEADERS.signature);
  if (!keyId || !timestamp || !signature) {
    return refuse(
      401,
      'unauthenticated',
      `unsigned: send ${OUTCOME_HEADERS.key}, ${OUTCOME_HEADERS.timestamp} and ${OUTCOME_HEADERS.signature} (see docs/outcomes/README.md)`,
    );
  }
  const key = /^ok_[0-9a-f]{16}$/.test(keyId) ? await core.storePort.read((tx) => tx.outcomes.secretForChecking(keyId)) : null;
  if (!key) return refuse(401, 'unauthenticated', 'unknown or retired outcome key');
  if (!/^\d{1,12}$/.test(timestamp) || !signatureMatches(signature, outcomeSignature(key.secret, timestamp, body))) {
    return refuse(401, 'unauthenticated', 'the signature does not match the body and timestamp');
  }
  const nowS = core.clock.nowUs() / 1e6;
  if (Math.abs(nowS - Number(timestamp)) > CALLBACK_WINDOW_S) {
    return refuse(
      401,
      'unauthenticated',
      `the timestamp is more than ${CALLBACK_WINDOW_S} s from our clock (${formatIsoMicros(core.clock.nowUs())}): expired, or a clock to set right`,
    );
  }
  const sig = signatureDigest(signature);

  // Parsed before the read, so the replay check and the incident's are one read; answered in the documented order.
  let input: z.infer<typeof CallbackBody> | null = null;
  let malformed: CallbackAnswer | null = null;
  try {
    const parsed = CallbackBody.safeParse(parseStrictJsonBytes(body));
    if (parsed.success) input = parsed.data;
    else malformed = refuse(400, 'invalid_input', `the report is not valid: ${describeZodIssues(parsed.error)}`);
  } catch (e) {
    malformed = refuse(400, 'invalid_input', `the body is not JSON: ${(e as Error).message}`);
  }
  const named = input?.incident;
  const seen = await core.storePort.read(async (tx) => {
    if (await tx.outcomes.signatureSeen(sig)) return { replay: true as const };
    if (named === undefined) return { replay: false as const, incident: null };
    const incidentId = await incidentIdFromKey(tx, named);
    const incident = incidentId !== null && (await tx.outcomes.routedTo(incidentId, key.agencyId)) ? await tx.incidents.get(incidentId) : undefined;
    return { replay: false as const, incident: incident ?? null };
  });
  if (seen.replay) return refuse(409, 'conflict', 'this signed request was received before (a replay); sign each report anew');
  if (!input) return malformed ?? refuse(400, 'invalid_input', 'the report is not valid');
  const incident = seen.incident;
  if (incident === null) return refuse(404, 'not_found', 'no incident with that key was sent to this agency');
  const incidentId = incident.id;
  try {
    const findings = checkFindings(input);
    const reportedUs = input.reportedAt === undefined ? null : parseIsoMicros(input.reportedAt);
    if (reportedUs !== null && (reportedUs < incident.createdUs - 3_600_000_000 || reportedUs > core.clock.nowUs() + CALLBACK_WINDOW_S * 1e6)) {
      throw new UserError('invalid_input', 'reportedAt lies before the incident or in the future');
    }
    const o = await recordOutcome(core, {
      ...findings,
      incidentId,
      agencyId: key.agencyId,
      notes: input.notes,
      unit: input.unit ?? '',
      reference: input.reference ?? null,
      channel: 'callback',
      reportedUs,
      reportedBy: `agency:${key.agencyId}/${keyId}`,
      callbackSig: sig,
    });
    return {
      status: 201,
      body: { ok: true, value: { outcomeId: o.id, version: o.version, incident: input.incident, received: formatIsoMicros(o.receivedUs) } },
    };
  } catch (e) {
    if (!isUserError(e)) throw e;
    return refuse(e.code === 'conflict' ? 409 : e.code === 'not_found' ? 404 : 400, e.code, e.message);
  }
}
