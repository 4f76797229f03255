/**
 * Writes docs/API.md from the contract: every method's path on the loopback host and its JSON
 * shapes, every event. `npx tsx scripts/api-doc.ts --check` fails when the file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { events, methods, type EventSealRule, type SealRule } from '../src/contract/index.ts';

/** The method's seal rule in words (see SealRule in src/contract/define.ts). */
function sealText(rule: SealRule): string {
  const via = (fields: Record<string, string>) =>
    Object.entries(fields)
      .map(([f, k]) => `\`${f}\` (${k})`)
      .join(' or ');
  if ('reads' in rule) return `shows the decision of the alert named by ${via(rule.reads)}: refused to anyone outside its seal.`;
  if ('acts' in rule) return `changes the alert named by ${via(rule.acts)}: refused to anyone outside its seal, before anything is written.`;
  if ('blind' in rule) return `shows the alert named by ${via(rule.blind)}: blind (as it arrived) to anyone outside its seal.`;
  if ('list' in rule) {
    return rule.list.outsider === 'blind'
      ? 'a listing: items about sealed alerts are shown blind to everyone but their deciders.'
      : 'a listing: items about sealed alerts are left out for anyone outside their seal; auditors and admins see them, recorded as opening it.';
  }
  if ('overseers' in rule) return 'auditors and admins only; each sealed alert the answer shows is recorded as opened.';
  if ('qa' in rule) return 'the blind review itself: only a reviewer who never saw the decision.';
  return 'says nothing anyone decided about an alert.';
}
const eventSealText = (rule: EventSealRule): string =>
  'about' in rule
    ? `about the alert at \`${rule.about}\`: ${rule.outsider === 'blind' ? 'sent blind' : 'not sent'} to a seat outside its seal.`
    : 'about no alert.';

export function renderApiDoc(): string {
  const schema = (s: z.ZodType, io: 'input' | 'output') => JSON.stringify(z.toJSONSchema(s, { io, unrepresentable: 'any' }), null, 2);
  const out: string[] = [
    '# The Earwitness API',
    '',
    'Generated from `src/contract/` by `npx tsx scripts/api-doc.ts`; do not edit by hand.',
    '',
    'The loopback host (`earwitness serve`) carries the contract over HTTP on 127.0.0.1:',
    '',
    '1. Take the token from the printed address (`#token=...`).',
    '2. `POST /api/session` with `Authorization: Bearer <token>` and `Content-Type: application/json`, body `{}`:',
    '   answers `{"ok":true,"value":{"sessionId":"...","downloads":"/downloads/<seat>/"}}` and sets two HttpOnly cookies:',
    '   the token (path `/`) and the seat (path `/downloads/<seat>`, so a plain link to one of its downloads works).',
    '   Nobody is signed in on a new seat: call `signIn` (or, on a store with no account, `createFirstAdmin`).',
    '   A seat idle past the lock time is refused (`unauthenticated`, details `{"locked":true}`) until `unlockSeat`.',
    '3. Every method is `POST /api/<method>` with the same two headers plus `X-Earwitness-Session: <sessionId>`,',
    '   a JSON body of the method\'s input; the answer is always `{"ok":true,"value":...}` or',
    '   `{"ok":false,"error":{"code":"...","message":"..."}}` with HTTP 200. Transport failures use HTTP status codes,',
    '   always with a JSON error: no token 401, foreign Origin or Host 403, unknown route 404, wrong HTTP method 405',
    '   (with `Allow`), body over 4 MiB 413 (the rest of the body is read and dropped, never a reset), not JSON 400/415.',
    '4. Events: a WebSocket on `/api/events?session=<sessionId>` (cookie or Bearer token, same-origin) receives',
    '   `{"event":"<name>","payload":...}` messages while someone is signed in on that seat and it is not locked.',
    '5. Clip audio: `GET /clips/<sha256>` (token by cookie or Bearer), with HTTP range requests.',
    '6. Files in: `POST /uploads` (token and session headers) opens an upload of the seat and answers `{uploadId, limits}`;',
    '   `POST /uploads/<uploadId>?name=<relative name, percent-encoded UTF-8>` sends one file, its bytes as the body',
    '   (201; 400 for a name that is absolute, has `..`, a drive letter, a backslash or a control character; 409 for a name',
    '   already there; 413 over a limit); `DELETE /uploads/<uploadId>` discards it. Methods take it as',
    '   `{"kind":"upload","uploadId":"..."}` (a FileSource), once: the files go when used or after an hour unused.',
    '7. Files out: methods given `{"kind":"download"}` (a FileTarget) answer a `downloadId`; `GET /downloads/<seat>/<downloadId>`',
    '   streams it as an attachment to that seat only (its cookie or session header), for 30 minutes; anyone else gets 404.',
    '',
    "No method a seat may call takes a path on the core's machine. The methods that do (marked *Command line only*)",
    "are refused to every seat, the desktop app's windows included, with `forbidden`; each names the method a seat uses",
    "instead. Even the command line may not read or write the data folder's own files (database, anchors, clips, logs).",
    '',
    'Error codes: `invalid_input`, `not_found`, `conflict`, `duplicate`, `bad_file`, `forbidden`, `unauthenticated`,',
    '`unavailable`, `internal`.',
    '',
    '## Methods',
    '',
  ];
  for (const [name, spec] of Object.entries(methods)) {
    const roles = 'roles' in spec && spec.roles ? spec.roles.join(', ') : 'public' in spec && spec.public ? 'anyone (no sign-in)' : 'any signed-in person';
    const local =
      'local' in spec && spec.local ? [`Command line only: refused to every seat; a seat uses \`${'seatVariant' in spec ? spec.seatVariant : ''}\`.`, ''] : [];
    out.push(
      `### \`POST /api/${name}\``,
      '',
      spec.summary,
      '',
      `Roles: ${roles}.`,
      '',
      `Blind review: ${sealText(spec.seal)}`,
      '',
      ...local,
      'Input:',
      '',
      '```json',
      schema(spec.input, 'input'),
      '```',
      '',
      'Output (`value`):',
      '',
      '```json',
      schema(spec.output, 'output'),
      '```',
      '',
    );
  }
  out.push('## Events', '');
  for (const [name, spec] of Object.entries(events)) {
    out.push(`### \`${name}\``, '', spec.summary, '', `Blind review: ${eventSealText(spec.seal)}`, '', '```json', schema(spec.payload, 'output'), '```', '');
  }
  return out.join('\n');
}

const target = new URL('../docs/API.md', import.meta.url);
if (import.meta.url === `file://${process.argv[1]}`) {
  const text = renderApiDoc();
  if (process.argv.includes('--check')) {
    if (readFileSync(target, 'utf8') !== text) {
      process.stderr.write('docs/API.md is stale: run `npx tsx scripts/api-doc.ts`\n');
      process.exit(1);
    }
  } else writeFileSync(target, text);
}
