import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { parseWav } from '../../../src/audio/wav.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { validateCap } from '../../support/cap-validate.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { ManualClock } from '../../support/clock.ts';
import { inProcessHost } from '../../support/inproc-host.ts';
import { addAgency, decide, session } from '../../support/publish-fixtures.ts';

/**
 * Agencies can listen: every message carries a signed, expiring link served by the host to the
 * link's holder (no seat token), each fetch in the audit log; an altered or expired link serves nothing.
 */
describe('audio links in what agencies receive', () => {
  let h: Awaited<ReturnType<typeof inProcessHost>>;
  let clock: ManualClock;
  let capXml: string;

  beforeEach(async () => {
    clock = new ManualClock(Date.now() * 1000);
    h = await inProcessHost({ clock });
    await addAgency(h.core, { name: 'City PD', url: 'http://127.0.0.1:9/cap' });
    const r = await importFolder(h.core, writeSimpleBundle(join(h.tmp, 'b1'), { id: 'LINK-1', sensors: 4, startUs: clock.nowUs() - 10_000_000 }).dir, 'tester');
    expect(r.status, r.message).toBe('imported');
    await decide(h.core, r.alertId!, 'gunfire_single', 1);
    const incident = (await h.core.storePort.read((tx) => tx.incidents.byAlert(r.alertId!)))!;
    capXml = (await h.core.storePort.read(async (tx) => tx.incidents.body((await tx.incidents.messages(incident.id))[0]!.id)))!.cap;
  });
  afterEach(() => h.close());

  const uris = () => [...capXml.matchAll(/<uri>([^<]+)<\/uri>/g)].map((m) => m[1]!);
  const fetched = async () => await h.core.storePort.read((tx) => tx.audit.withActionPrefix('publish.audio_fetched'));

  it('puts a page link and a clip link in the CAP resources, valid against the schema', async () => {
    expect((await validateCap(capXml)).errors).toEqual([]);
    const [clip, page] = uris();
    expect(page).toMatch(new RegExp(`^${h.origin}agency-audio/\\d+\\.\\d+\\.[0-9a-f]{64}/$`));
    expect(clip).toBe(`${page}clips/${/<digest>([0-9a-f]{64})<\/digest>/.exec(capXml)![1]}.wav`);
  });

  it('serves the page, the excerpt and the clip to the holder without any seat token, and logs each fetch', async () => {
    const [clip, page] = uris();
    const p = await fetch(page!);
    expect(p.status).toBe(200);
    expect(p.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await p.text()).toContain('<audio controls src="excerpt.wav"></audio>');

    const e = await fetch(`${page}excerpt.wav`);
    expect([e.status, e.headers.get('content-type')]).toEqual([200, 'audio/wav']);
    const info = parseWav(new Uint8Array(await e.arrayBuffer()));
    // Half a second before the loudest sensor's first arrival, to 2.5 s after it or the clip's end.
    expect(info.durationS).toBeGreaterThan(0.5);
    expect(info.durationS).toBeLessThanOrEqual(3.0001);

    const c = await fetch(clip!);
    expect(c.status).toBe(200);
    const bytes = Buffer.from(await c.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(/<digest>([0-9a-f]{64})<\/digest>/.exec(capXml)![1]);
    expect((await fetched()).map((a) => JSON.parse(a.payload_json).what)).toEqual(['page', 'excerpt', 'clip']);
  });

  it('serves nothing to an altered link, a clip of another alert, or an expired link', async () => {
    const [, page] = uris();
    const flip = page!.replace(/([0-9a-f])\/$/, (_m, d: string) => `${d === '0' ? '1' : '0'}/`);
    expect((await fetch(flip)).status).toBe(404);
    // The expiry is inside the signature: moving it forward breaks the link.
    const later = page!.replace(/(agency-audio\/\d+)\.(\d+)\./, (_m, head: string, s: string) => `${head}.${Number(s) + 3600}.`);
    expect((await fetch(later)).status).toBe(404);
    expect((await fetch(`${page}clips/${'ab'.repeat(32)}.wav`)).status).toBe(404);
    clock.advanceSeconds(73 * 3600);
    const expired = await fetch(page!);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/);
    expect(await fetched()).toEqual([]);
    // Rotating the key ends every link at once.
    clock.set(clock.nowUs() - 73 * 3_600_000_000);
    expect((await fetch(page!)).status).toBe(200);
    await h.core.call(session(h.core), 'setPublishIdentity', { rotateLinkKey: true });
    expect((await fetch(page!)).status).toBe(404);
  });
});
