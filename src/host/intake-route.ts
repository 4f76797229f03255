import { rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '../core/core.ts';
import { earlyAnswer, importPushed, peekManifest, type PushOutcome } from '../ingest/intake.ts';
import { identifyIntakeKey, touchIntakeKey } from '../ingest/intake-keys.ts';
import { log } from '../util/log.ts';
import { IntakeGate } from './intake-gate.ts';
import { INTAKE_LIMITS, IntakeRefusal, receiveBundle, type IntakeLimits } from './intake-multipart.ts';
import { declaredLength, methodNotAllowed, sendError, sendJson } from './respond.ts';
import { SignInLimit } from './signin-limit.ts';

export const INTAKE_PATH = '/intake/v1/alerts';

/**
 * `POST /intake/v1/alerts`: a sensor network pushes one acoustic-alert/1 bundle as one
 * multipart/form-data request (alert.json first, then its clips), with `Authorization: Bearer
 * <key>` (a key an administrator issued for the network's source). Answers:
 * 201 imported, 200 a duplicate (nothing stored), 400 what the importer refused and why,
 * 401 no, unknown or revoked key (too many from one address: 429), 403 another source's alert,
 * 413 over a size limit, 415 not multipart, 429 with Retry-After when the queue is full.
 * A refusal stores nothing and leaves no file behind.
 */
export function intakeRoute(core: Core, addressOf: (req: IncomingMessage) => string, overrides: Partial<IntakeLimits> = {}) {
  const limits: IntakeLimits = { ...INTAKE_LIMITS, ...overrides };
  const gate = new IntakeGate(limits.concurrency, limits.queue);
  // Guessing keys is guessing passwords: the same per-address failure limit as sign-in.
  const failures = new SignInLimit();

  const answer = (res: ServerResponse, o: PushOutcome) => {
    if (o.status === 'imported' || o.status === 'duplicate')
      return sendJson(res, o.status === 'imported' ? 201 : 200, {
        ok: true,
        value: { alertId: o.alertId, duplicate: o.status === 'duplicate', message: o.message },
      });
    return sendError(res, o.status === 'wrong_source' ? 403 : 400, o.status === 'wrong_source' ? 'forbidden' : 'invalid_input', o.message);
  };

  return async function handleIntake(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return methodNotAllowed(res, ['POST']);
    const address = addressOf(req);
    const waitS = failures.waitS(address);
    if (waitS > 0)
      return sendError(res, 429, 'forbidden', `too many refused keys from this address: try again in ${waitS} s`, { 'retry-after': String(waitS) });
    const bearer = /^Bearer ([^\s]+)$/i.exec(String(req.headers.authorization ?? ''));
    const identity = bearer ? await identifyIntakeKey(core, bearer[1]!) : null;
    if (!identity) {
      failures.failed(address);
      return sendError(
        res,
        401,
        'unauthenticated',
        'no intake key, or an unknown or revoked one: send Authorization: Bearer <the key issued for this network>',
        {
          'www-authenticate': 'Bearer realm="earwitness-intake"',
        },
      );
    }
    if (!String(req.headers['content-type'] ?? '').startsWith('multipart/form-data'))
      return sendError(res, 415, 'invalid_input', 'send multipart/form-data: alert.json (name="alert"), then each clip (name="clip")');
    const declared = declaredLength(req);
    if (Number.isNaN(declared)) return sendError(res, 400, 'invalid_input', 'malformed Content-Length');
    if (declared !== null && declared > limits.totalBytes) {
      res.shouldKeepAlive = false;
      return sendError(res, 413, 'invalid_input', `the push is over the ${limits.totalBytes}-byte limit`);
    }
    const entered = gate.enter();
    if (!entered) {
      const retry = gate.retryAfterS();
      return sendError(res, 429, 'unavailable', `the intake queue is full: try again in ${retry} s`, { 'retry-after': String(retry) });
    }
    const leave = await entered;
    let dir: string | null = null;
    try {
      if (req.destroyed) return;
      dir = core.files.workDir();
      const actor = `intake:${identity.source}:key-${identity.keyId}`;
      const received = await receiveBundle(req, dir, limits, (bytes) => earlyAnswer(core, peekManifest(bytes), identity.source));
      const outcome = received.kind === 'early' ? received.answer : await importPushed(core, dir, identity.source, actor);
      if (outcome.status === 'imported' || outcome.status === 'duplicate') await touchIntakeKey(core, identity.keyId);
      if (outcome.status === 'imported') log.info({ source: identity.source, alertId: outcome.alertId, key: identity.keyId }, 'intake: alert imported');
      else if (outcome.status !== 'duplicate') log.warn({ source: identity.source, key: identity.keyId, reason: outcome.message }, 'intake: push refused');
      answer(res, outcome);
    } catch (e) {
      if (!(e instanceof IntakeRefusal)) throw e;
      if (e.status === 413 || e.status === 408) res.shouldKeepAlive = false;
      sendError(res, e.status, e.status === 403 ? 'forbidden' : 'invalid_input', e.message);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
      leave();
    }
  };
}
