import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { validateCap } from '../../support/cap-validate.ts';
import { addAgency, decide, seedAlert, session } from '../../support/publish-fixtures.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * Which CAP message each change of a published incident becomes (docs/publish/README.md,
 * "Message types"), on real messages from the outbox, each validated by the CAP 1.2 schema.
 */
describe('message types per CAP 1.2 and what a CAD expects', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  const messages = async (alertId: number) => {
    const incident = (await core.storePort.read((tx) => tx.incidents.byAlert(alertId)))!;
    return core.storePort.read(async (tx) =>
      Promise.all(
        (await tx.incidents.messages(incident.id)).map(async (m) => {
          const body = (await tx.incidents.body(m.id))!;
          return { ...m, cap: body.cap, json: JSON.parse(body.json) as { message: Record<string, unknown> } };
        }),
      ),
    );
  };
  const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? null;
  const deliveriesOf = async (messageId: number) =>
    ((await testSql(core).row('SELECT count(*) AS n FROM deliveries WHERE message_id = ?', messageId)) as { n: number }).n;

  beforeEach(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/a' });
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('a reclassification to not gunfire is a Cancel with the new class and the reason in note; back to gunfire, an Alert again', async () => {
    const alertId = await seedAlert(core);
    await decide(core, alertId, 'gunfire_multiple', 3);
    await core.call(session(core), 'reviseDecision', {
      alertId,
      class: 'fireworks',
      rounds: null,
      notes: 'the spectrogram shows a rocket whistle before each bang',
    });
    let ms = await messages(alertId);
    expect(ms.map((m) => [m.seq, m.msgType])).toEqual([
      [1, 'Alert'],
      [2, 'Cancel'],
    ]);
    const cancel = ms[1]!;
    expect(tag(cancel.cap, 'note')).toMatch(
      /^Withdrawn: a reviewer reclassified this as Fireworks, not gunfire\. Reviewer's reason: the spectrogram shows a rocket whistle before each bang\.$/,
    );
    expect(tag(cancel.cap, 'urgency')).toBe('Past');
    expect(tag(cancel.cap, 'responseType')).toBe('None');
    expect(cancel.json.message).toMatchObject({ type: 'cancel', changes: ['reclassified', 'rounds_corrected', 'cancelled'] });
    expect((await validateCap(cancel.cap)).errors).toEqual([]);
    expect(await deliveriesOf(cancel.id)).toBe(1);
    expect((await core.storePort.read((tx) => tx.incidents.byAlert(alertId)))!.state).toBe('cancelled');

    // The reviewer changes their mind: the incident is reinstated with a new Alert that references everything before it.
    await core.call(session(core), 'reviseDecision', { alertId, class: 'gunfire_single', rounds: 1, notes: 'the whistle was a car alarm; one real shot' });
    ms = await messages(alertId);
    const again = ms[2]!;
    expect([again.seq, again.msgType, again.changes]).toEqual([3, 'Alert', ['reinstated', 'reclassified', 'rounds_corrected']]);
    expect(tag(again.cap, 'references')!.split(' ')).toHaveLength(2);
    expect(tag(again.cap, 'note')).toContain(
      "Reinstated: the reviewer confirmed Gunfire: single shot again after the withdrawal. Reviewer's reason: the whistle was a car alarm; one real shot.",
    );
    expect((await validateCap(again.cap)).errors).toEqual([]);
    expect((await core.storePort.read((tx) => tx.incidents.byAlert(alertId)))!.state).toBe('routed');
  });

  it('a reclassification to probable gunfire, and corrected rounds, are Updates that say what changed and why', async () => {
    const alertId = await seedAlert(core);
    await decide(core, alertId, 'gunfire_multiple', 3);
    await core.call(session(core), 'reviseDecision', { alertId, rounds: 4, notes: 'a fourth shot under the echo' });
    await core.call(session(core), 'reviseDecision', { alertId, class: 'probable_gunfire', rounds: 4, notes: 'could be a nail gun' });
    const [, rounds, reclass] = await messages(alertId);
    expect(rounds!.msgType).toBe('Update');
    expect(tag(rounds!.cap, 'note')).toBe("Rounds corrected from 3 to 4. Reviewer's reason: a fourth shot under the echo.");
    expect(reclass!.msgType).toBe('Update');
    expect(tag(reclass!.cap, 'note')).toBe("Reclassified from Gunfire: multiple shots to Probable gunfire. Reviewer's reason: could be a nail gun.");
    for (const m of [rounds!, reclass!]) expect((await validateCap(m.cap)).errors).toEqual([]);
  });

  it('an administrator withdrawing an incident sends a Cancel with the reason, and nothing after', async () => {
    const alertId = await seedAlert(core);
    await decide(core, alertId);
    const incidentId = (await core.storePort.read((tx) => tx.incidents.byAlert(alertId)))!.id;
    await core.call(session(core), 'cancelIncident', { incidentId, reason: 'a film shoot with blanks, confirmed by the permit office' });
    await core.call(session(core), 'reviseDecision', { alertId, class: 'gunfire_single', rounds: 1, notes: 'after the cancel' });
    const ms = await messages(alertId);
    expect(ms.map((m) => m.msgType)).toEqual(['Alert', 'Cancel']);
    expect(tag(ms[1]!.cap, 'note')).toBe('a film shoot with blanks, confirmed by the permit office');
    expect(tag(ms[1]!.cap, 'headline')).toBe('Cancelled: Gunfire: multiple shots');
  });

  it('sets expires on every message: sent plus the lifetime an administrator set', async () => {
    await core.call(session(core), 'setPublishIdentity', { messageLifetimeMinutes: 45 });
    const alertId = await seedAlert(core);
    await decide(core, alertId);
    await core.call(session(core), 'reviseDecision', { alertId, rounds: 2, notes: 'two' });
    for (const m of await messages(alertId)) {
      const sent = Date.parse(tag(m.cap, 'sent')!.replace('-00:00', 'Z'));
      const expires = Date.parse(tag(m.cap, 'expires')!.replace('-00:00', 'Z'));
      expect(expires - sent).toBe(45 * 60_000);
      expect(Date.parse(String(m.json.message.expires))).toBe(Math.floor(m.sentUs / 1000) + 45 * 60_000);
    }
  });
});
