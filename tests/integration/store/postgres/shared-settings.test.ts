import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MapSettings } from '../../../../src/contract/index.ts';
import type { Core } from '../../../../src/core/core.ts';
import { ManualClock } from '../../../support/clock.ts';
import { backendUnavailable } from '../../../support/database.ts';
import { twoServersOnOneDatabase, type TwoServers } from '../../../support/two-servers.ts';
import { until } from '../../../support/until.ts';

/**
 * An administrator's settings changed on one server of a centre apply on the other: the base map
 * (announced to every open map, and read again within a second), a source's status and the
 * publishing identity, each entry's "from" what the other server had left.
 */
describe.skipIf(backendUnavailable('settings on two servers', 'postgres'))("an administrator's settings on two servers of one database", () => {
  let servers: TwoServers;
  let clock: ManualClock;
  let a: Core;
  let b: Core;
  beforeEach(async () => {
    clock = new ManualClock();
    servers = await twoServersOnOneDatabase(clock);
    ({ a, b } = servers);
  });
  afterEach(() => servers.close());

  it("a base map chosen on one server is announced to the other's maps and served there", async () => {
    const heard: MapSettings[] = [];
    b.events.subscribe((event, payload) => {
      if (event === 'mapSettingsChanged') heard.push(payload as MapSettings);
    });
    const cliB = b.cliSession();
    expect((await b.call(cliB, 'getMapSettings', {})).baseLayer).toEqual({ kind: 'plain' });
    const template = 'https://tiles.example/{z}/{x}/{y}.png';
    await a.call(a.cliSession(), 'setMapSettings', { baseLayer: { kind: 'url', template, attribution: 'City GIS' } });
    await until(() => heard.length === 1);
    expect(heard[0]!.baseLayer).toMatchObject({ kind: 'url', template });
    // b read the setting a moment ago; a second later it reads the database again.
    clock.advanceSeconds(1.1);
    expect((await b.call(cliB, 'getMapSettings', {})).baseLayer).toMatchObject({ kind: 'url', template });

    await b.call(cliB, 'setMapSettings', { baseLayer: { kind: 'plain' } });
    const entries = await servers.probe.query<{ payload_json: string }>(
      "SELECT payload_json FROM audit_log WHERE action = 'settings.map_changed' ORDER BY seq",
    );
    expect(entries.map((e) => JSON.parse(e.payload_json) as { from: { kind: string } }).map((p) => p.from.kind)).toEqual(['plain', 'url']);
  });

  it("a source's status and the identity set on one server are what the other lists and changes from", async () => {
    await a.call(a.cliSession(), 'setSourceStatus', { source: 'north-net', status: 'test', note: 'commissioning' });
    expect((await b.call(b.cliSession(), 'listSources', {})).sources).toEqual([expect.objectContaining({ source: 'north-net', status: 'test', alerts: 0 })]);
    await b.call(b.cliSession(), 'setSourceStatus', { source: 'north-net', status: 'live' });
    const statuses = await servers.probe.query<{ payload_json: string }>("SELECT payload_json FROM audit_log WHERE action = 'source.status_set' ORDER BY seq");
    expect(statuses.map((e) => JSON.parse(e.payload_json) as { previous: string | null }).map((p) => p.previous)).toEqual([null, 'test']);

    const first = await a.call(a.cliSession(), 'getPublishIdentity', {});
    // Both servers publish as one instance: the identity is made once, on whichever asked first.
    expect((await b.call(b.cliSession(), 'getPublishIdentity', {})).instance).toBe(first.instance);
    const set = await b.call(b.cliSession(), 'setPublishIdentity', { senderName: 'Metro review centre' });
    expect(set.changed).toEqual(['senderName']);
    expect((await a.call(a.cliSession(), 'getPublishIdentity', {})).senderName).toBe('Metro review centre');
  });
});
