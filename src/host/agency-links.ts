import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Core } from '../core/core.ts';
import { checkLinkTokenTx, LINK_PREFIX } from '../publish/audio-link.ts';
import { excerptWav, loudestTrack } from '../publish/audio-excerpt.ts';
import { serveLinks } from '../publish/link-base.ts';
import { log } from '../util/log.ts';

/**
 * Agencies' audio links (src/publish/audio-link.ts), served by the host to whoever holds one:
 *   /agency-audio/<token>/               a page with the excerpt and every sensor's clip
 *   /agency-audio/<token>/excerpt.wav    the loudest track's excerpt (audio-excerpt.ts)
 *   /agency-audio/<token>/clips/<sha256>.wav   one clip of that incident's alert
 * No seat token and no Host check: the link itself is the credential, and agencies reach it
 * through the centre's own address. An altered link is 404, an expired one 403, nothing served;
 * each fetch served is an audit entry. The link, its incident and the alert are read through the
 * store port (one read), so any server of a centre serves any link; the clip files come from the
 * clip store after that read, and the audit entry is a write of its own.
 */
export interface AgencyLinks {
  /** Serves the request if it is an audio link's; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  close(): void;
}

const PREFIX = `/${LINK_PREFIX}`;
const HEADERS = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'private, no-store' };
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function refuse(res: ServerResponse, status: number, reason: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...HEADERS });
  res.end(`${reason}\n`);
}

export function mountAgencyLinks(core: Core, hostUrl: string): AgencyLinks {
  // Every message is written through the port (decide, revisions, re-location, the incident desk).
  const stop = serveLinks(core.storePort, hostUrl);

  const serve = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'GET only');
    const rest = path.slice(PREFIX.length);
    const slash = rest.indexOf('/');
    const token = slash < 0 ? rest : rest.slice(0, slash);
    const what = slash < 0 ? '' : rest.slice(slash + 1);
    const nowMs = core.clock.nowUs() / 1000;
    const found = await core.storePort.read(async (tx) => {
      const check = await checkLinkTokenTx(tx, token, nowMs);
      if (!check.ok) return { check, incident: undefined, detail: undefined };
      const incident = await tx.incidents.get(check.incidentId);
      return { check, incident, detail: incident ? await tx.alerts.detail(incident.alertId) : undefined };
    });
    const { check, incident, detail } = found;
    if (!check.ok) {
      log.warn({ path: path.slice(0, 200), reason: check.reason, remote: req.socket.remoteAddress }, 'agency audio link refused');
      return refuse(res, check.status, check.reason);
    }
    if (!incident || !detail) return refuse(res, 404, 'no such incident');
    let body: Buffer | string;
    let type: string;
    let served: Record<string, unknown>;
    if (what === '') {
      const best = loudestTrack(detail);
      const clips = detail.tracks.map(
        (t) =>
          `<li>Sensor ${esc(t.sensorId)} (${t.clip.durationS.toFixed(1)} s): <audio controls preload="none" src="clips/${t.clip.sha256}.wav"></audio></li>`,
      );
      body = `<!doctype html><meta charset="utf-8"><title>Incident ${incident.id}: audio</title>
<h1>Incident ${incident.id}: audio (${esc(incident.status)})</h1>
<p>${best ? `Loudest sensor, ${esc(best.sensorId)}, from half a second before the shot:` : 'No audio.'}</p>
${best ? '<audio controls src="excerpt.wav"></audio>' : ''}
<h2>Every sensor, whole clips</h2><ul>${clips.join('')}</ul>
<p>This link works until ${new Date(check.expiresS * 1000).toISOString()}. Each fetch is recorded.</p>\n`;
      type = 'text/html; charset=utf-8';
      served = { what: 'page' };
    } else if (what === 'excerpt.wav') {
      const best = loudestTrack(detail);
      if (!best) return refuse(res, 404, 'this incident has no audio');
      body = excerptWav(detail, best, await readFile(core.clips.path(best.clip.sha256)));
      type = 'audio/wav';
      served = { what: 'excerpt', sensorId: best.sensorId };
    } else {
      const m = /^clips\/([0-9a-f]{64})\.wav$/.exec(what);
      const track = m ? detail.tracks.find((t) => t.clip.sha256 === m[1]) : undefined;
      // Only the clips of this incident's alert: a link is no key to the rest of the clip store.
      if (!track) return refuse(res, 404, 'no such clip in this incident');
      body = await readFile(core.clips.path(track.clip.sha256));
      type = 'audio/wav';
      served = { what: 'clip', sensorId: track.sensorId, sha256: track.clip.sha256 };
    }
    const now = core.clock.nowUs();
    await core.storePort.write((tx) =>
      tx.audit.append({
        atUs: now,
        actor: 'agency-link',
        action: 'publish.audio_fetched',
        entity: `incident:${incident.id}`,
        payload: {
          ...served,
          method: req.method,
          bytes: Buffer.byteLength(body),
          linkExpiresS: check.expiresS,
          remote: req.socket.remoteAddress ?? null,
          userAgent: String(req.headers['user-agent'] ?? '').slice(0, 200),
        },
      }),
    );
    res.writeHead(200, {
      'content-type': type,
      'content-length': String(Buffer.byteLength(body)),
      ...HEADERS,
      ...(type.startsWith('text/html') ? { 'content-security-policy': "default-src 'none'; media-src 'self'" } : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  return {
    handle(req, res) {
      const path = (req.url ?? '').split('?')[0] ?? '';
      if (!path.startsWith(PREFIX)) return false;
      serve(req, res, path).catch((e: unknown) => {
        log.error({ err: e }, 'agency audio link failed');
        if (!res.headersSent) refuse(res, 500, 'failed; see the centre log');
      });
      return true;
    },
    close: stop,
  };
}
