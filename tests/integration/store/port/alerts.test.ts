import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreConstraintError } from '../../../../src/kernel/store-errors.ts';
import { backendUnavailable, openTestDatabase, testBackend, type TestDatabase } from '../../../support/database.ts';
import { newAlert, pulse, seedAlerts, sensor, solutionBody, T0 } from '../../../support/store-fixtures.ts';

describe.skipIf(backendUnavailable('alert queries'))(`alerts, decisions, relocations, sensors, settings (${testBackend()})`, () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await openTestDatabase()));
  afterEach(async () => t.close());

  it('inserts an alert with its sensors, clips and pulses, and finds it by key', async () => {
    const id = await t.store.write((tx) => tx.alerts.insert(newAlert(1)));
    expect(id).toBe(1);
    expect(await t.store.read(async (tx) => [await tx.alerts.findByKey('test-net', 'A-1'), await tx.alerts.findByKey('test-net', 'A-2')])).toEqual([
      1,
      undefined,
    ]);
    expect(
      await t.store.read(async (tx) => [await tx.alerts.clipKnown(newAlert(1).sensors[0]!.clip.sha256), await tx.alerts.clipKnown('f'.repeat(64))]),
    ).toEqual([true, false]);
    const summary = await t.store.read((tx) => tx.alerts.summary(id));
    expect(summary).toEqual({
      id,
      source: 'test-net',
      externalId: 'A-1',
      format: 'acoustic-alert/1',
      detectedUs: T0 + 60_000_000,
      importedUs: T0 + 65_000_000,
      sensorCount: 3,
      machine: { label: 'gunfire', confidence: 0.875, rounds: 3 },
      status: 'pending',
      decision: null,
      location: null,
      rounds: null,
    });
  });

  it('refuses a second alert with the same source and id, and keeps a clip two alerts share once', async () => {
    const shared = sensor(1, { sha: 'a'.repeat(64) });
    await t.store.write((tx) => tx.alerts.insert(newAlert(1, { sensors: [shared] })));
    await t.store.write((tx) => tx.alerts.insert(newAlert(2, { sensors: [shared] })));
    expect(await t.probe.query('SELECT sha256 FROM clips')).toEqual([{ sha256: 'a'.repeat(64) }]);
    await expect(t.store.write((tx) => tx.alerts.insert(newAlert(1)))).rejects.toSatisfy((e) => e instanceof StoreConstraintError && e.kind === 'unique');
    expect(await t.store.read((tx) => tx.alerts.list('all', 10))).toHaveLength(2);
  });

  it('numbers solution versions and summarises the newest', async () => {
    const id = await t.store.write((tx) => tx.alerts.insert(newAlert(1)));
    const first = await t.store.write((tx) => tx.alerts.addSolution(id, 'machine', 'locator', T0, solutionBody(2)));
    const second = await t.store.write((tx) =>
      tx.alerts.addSolution(id, 'reviewer', 'rita', T0 + 1, solutionBody(3, { lat: 38.7, lon: -121.5, elevationM: 4 })),
    );
    expect([first.version, second.version]).toEqual([1, 2]);
    expect(second).toMatchObject({ origin: 'reviewer', createdBy: 'rita', rounds: 3 });
    const s = (await t.store.read((tx) => tx.alerts.summary(id)))!;
    expect(s.location).toEqual({ lat: 38.7, lon: -121.5, elevationM: 4 });
    expect(s.rounds).toBe(3);
  });

  it('lists by status, newest first, id breaking ties, up to the limit', async () => {
    await t.store.write(async (tx) => {
      await seedAlerts(tx, 3);
      await tx.alerts.insert(newAlert(4, { detectedUs: T0 + 3 * 60_000_000 }));
      await tx.decisions.insert({
        alertId: 1,
        class: 'fireworks',
        rounds: null,
        flags: { fullyAutomatic: false, multipleShooters: false },
        notes: '',
        decidedBy: 'd',
        decidedUs: T0,
        reviewMs: 1,
      });
    });
    const ids = async (status: 'pending' | 'decided' | 'all', limit = 10) => (await t.store.read((tx) => tx.alerts.list(status, limit))).map((a) => a.id);
    expect(await ids('all')).toEqual([4, 3, 2, 1]);
    expect(await ids('pending')).toEqual([4, 3, 2]);
    expect(await ids('decided')).toEqual([1]);
    expect(await ids('all', 2)).toEqual([4, 3]);
  });

  it('gives the detail: tracks by sensor, participation in the newest solution, pulses in order, every version', async () => {
    const local = newAlert(1, {
      sensors: [sensor(2, { position: { x: 5, y: 6 } }), sensor(1, { position: { x: 1, y: 2, z: 3 } }), sensor(3)],
      pulses: [pulse('S-2', 0.5), pulse('S-1', 0.75), pulse('S-1', 0.25, { snrDb: null })],
    });
    const id = await t.store.write(async (tx) => {
      const a = await tx.alerts.insert(local);
      await tx.alerts.addSolution(a, 'machine', 'locator', T0, solutionBody(2));
      await tx.decisions.insert({
        alertId: a,
        class: 'gunfire_single',
        rounds: 1,
        flags: { fullyAutomatic: true, multipleShooters: false },
        notes: 'n',
        decidedBy: 'd',
        decidedUs: T0 + 9,
        reviewMs: 1500,
      });
      return a;
    });
    const d = (await t.store.read((tx) => tx.alerts.detail(id)))!;
    expect(d.tracks.map((k) => [k.sensorId, k.participating])).toEqual([
      ['S-1', true],
      ['S-2', false],
      ['S-3', true],
    ]);
    // A sensor without WGS84 coordinates stands at its local position (z left out when unknown).
    expect(d.tracks[0]!.position).toEqual({ x: 100, y: -50, z: 1.5 });
    expect(d.tracks[1]!.position).toEqual({ x: 200, y: -100 });
    expect(d.tracks[2]!.position).toEqual({ lat: 38.603, lon: -121.403, elevationM: 13 });
    expect(d.tracks[1]!.local).toEqual({ x: 200, y: -100, z: null });
    expect(d.tracks[0]!.clip).toMatchObject({ sampleRate: 8000, frames: 16000, durationS: 2 });
    expect(d.tracks[0]!.fullScaleDbSpl).toBeNull();
    expect(d.pulses.map((p) => [p.sensorId, p.offsetS, p.snrDb])).toEqual([
      ['S-1', 0.25, null],
      ['S-1', 0.75, 20.25],
      ['S-2', 0.5, 20.25],
    ]);
    expect(d.pulses.every((p) => p.solutionId === null && p.origin === 'machine')).toBe(true);
    expect(d.weather).toEqual(newAlert(1).weather);
    expect(d.localOrigin).toEqual({ lat: 38.6, lon: -121.4 });
    expect(d.solutions.map((s) => s.version)).toEqual([1]);
    expect(d.decisions).toEqual([
      expect.objectContaining({
        version: 1,
        class: 'gunfire_single',
        flags: { fullyAutomatic: true, multipleShooters: false },
        reviewMs: 1500,
        undoneUs: null,
      }),
    ]);
    expect(d.decision).toEqual({ class: 'gunfire_single', decidedBy: 'd', decidedUs: T0 + 9 });
    expect(await t.store.read((tx) => tx.alerts.detail(99))).toBeUndefined();
  });

  it('keeps the waveform peaks exactly, and locks only alerts that exist', async () => {
    const a = newAlert(1);
    const id = await t.store.write((tx) => tx.alerts.insert(a));
    const peaks = await t.store.read((tx) => tx.alerts.peaks(id));
    expect(peaks.map((p) => p.sensorId)).toEqual(['S-1', 'S-2', 'S-3']);
    peaks.forEach((p, i) => {
      expect(p.peaksPerSecond).toBe(200);
      expect(Array.from(p.peaks)).toEqual(Array.from(a.sensors[i]!.peaks));
    });
    expect(await t.store.write(async (tx) => [await tx.alerts.lock(id), await tx.alerts.lock(id + 1)])).toEqual([true, false]);
    expect(await t.store.write((tx) => tx.alerts.insertPulse(id, pulse('S-3', 1)))).toBe(4);
  });

  it('records decisions as versions, undoes one, and tells the status', async () => {
    const id = await t.store.write((tx) => tx.alerts.insert(newAlert(1)));
    const decide = (cls: 'fireworks' | 'gunfire_multiple', at: number) =>
      t.store.write((tx) =>
        tx.decisions.insert({
          alertId: id,
          class: cls,
          rounds: cls === 'fireworks' ? null : 4,
          flags: { fullyAutomatic: false, multipleShooters: true },
          notes: 'é"\'',
          decidedBy: 'dan',
          decidedUs: at,
          reviewMs: 10,
        }),
      );
    const first = await decide('fireworks', T0 + 1);
    const second = await decide('gunfire_multiple', T0 + 2);
    expect([first.version, second.version, second.rounds, second.notes]).toEqual([1, 2, 4, 'é"\'']);
    expect(await t.store.read((tx) => tx.decisions.statusOf(id))).toBe('decided');
    expect(await t.store.read((tx) => tx.decisions.get(second.id))).toEqual(second);
    expect(await t.store.write((tx) => tx.decisions.undo(second.id, id, T0 + 3))).toBe(true);
    expect(await t.store.write((tx) => tx.decisions.undo(second.id, id, T0 + 4))).toBe(false);
    expect(await t.store.read((tx) => tx.decisions.statusOf(id))).toBe('pending');
    expect((await t.store.read((tx) => tx.decisions.get(second.id)))!.undoneUs).toBe(T0 + 3);
    // The summary shows the newest decision still standing.
    expect((await t.store.read((tx) => tx.alerts.summary(id)))!.decision).toEqual({ class: 'fireworks', decidedBy: 'dan', decidedUs: T0 + 1 });
    expect(await t.store.read((tx) => tx.decisions.statusOf(99))).toBeUndefined();
  });

  it('gives a re-location its alert, solutions and picks', async () => {
    const id = await t.store.write((tx) => tx.alerts.insert(newAlert(1, { pulses: [pulse('S-2', 0.5), pulse('S-1', 0.75), pulse('S-1', 0.25)] })));
    expect(await t.store.read((tx) => tx.relocations.newestSolution(id))).toBeNull();
    const machine = await t.store.write((tx) => tx.alerts.addSolution(id, 'machine', 'locator', T0, solutionBody(2)));
    const reviewer = await t.store.write(async (tx) => {
      const s = await tx.alerts.addSolution(id, 'reviewer', 'rita', T0 + 1, solutionBody(1));
      await tx.relocations.insertPick(id, s.id, {
        sensorId: 'S-3',
        offsetS: 0.5,
        timeUs: T0 + 500_000,
        shotIndex: 2,
        snrDb: null,
        peakDbfs: null,
        peakDbSpl: null,
      });
      await tx.relocations.insertPick(id, s.id, { sensorId: 'S-1', offsetS: 0.4, timeUs: T0 + 400_000, shotIndex: 1, snrDb: 3, peakDbfs: -1, peakDbSpl: 90 });
      await tx.relocations.insertPick(id, s.id, { sensorId: 'S-2', offsetS: 0.45, timeUs: T0 + 450_000, shotIndex: 1, snrDb: 3, peakDbfs: -1, peakDbSpl: 90 });
      return s;
    });
    const r = await t.store.read(async (tx) => ({
      alert: await tx.relocations.alert(id),
      newest: await tx.relocations.newestSolution(id),
      machine: await tx.relocations.newestMachineSolution(id),
      machinePulses: await tx.relocations.machinePulses(id),
      picks: await tx.relocations.picksOf(reviewer.id),
      all: await tx.relocations.allReviewerPicks(),
    }));
    expect(r.alert).toEqual({
      status: 'pending',
      coordinates: 'wgs84',
      localOrigin: { lat: 38.6, lon: -121.4 },
      weatherTemperatureC: 12.5,
      sensors: [1, 2, 3].map((i) => expect.objectContaining({ sensorId: `S-${i}`, clipStartUs: T0 + i, durationS: 2, sampleRate: 8000 })),
    });
    expect(r.newest).toMatchObject({ id: reviewer.id, version: 2, origin: 'reviewer', body: solutionBody(1) });
    expect(r.machine).toMatchObject({ id: machine.id, version: 1, origin: 'machine' });
    expect(r.machinePulses.map((p) => [p.sensorId, p.offsetS])).toEqual([
      ['S-1', 0.25],
      ['S-1', 0.75],
      ['S-2', 0.5],
    ]);
    expect(r.picks.map((p) => [p.shotIndex, p.sensorId, p.solutionId, p.origin])).toEqual([
      [1, 'S-1', reviewer.id, 'reviewer'],
      [1, 'S-2', reviewer.id, 'reviewer'],
      [2, 'S-3', reviewer.id, 'reviewer'],
    ]);
    expect(r.all.map((p) => [p.sensorId, p.version, p.alertId])).toEqual([
      ['S-3', 2, id],
      ['S-1', 2, id],
      ['S-2', 2, id],
    ]);
    expect(await t.store.read((tx) => tx.relocations.alert(99))).toBeUndefined();
  });

  it('reports a reviewer pick whose solution row is gone (tampering) with no version', async () => {
    const id = await t.store.write((tx) => tx.alerts.insert(newAlert(1)));
    // Behind the store's back, with foreign keys not enforced (PostgreSQL: as a replica applies rows).
    await t.probe.run(t.backend === 'postgres' ? 'SET session_replication_role = replica' : 'PRAGMA foreign_keys = OFF');
    await t.probe.run("INSERT INTO pulses (alert_id, sensor_id, offset_s, time_us, origin, solution_id) VALUES (?, 'S-1', 0.1, 1, 'reviewer', 424242)", id);
    const all = await t.store.read((tx) => tx.relocations.allReviewerPicks());
    expect(all).toEqual([expect.objectContaining({ sensorId: 'S-1', alertId: id, version: null, solutionId: 424242 })]);
  });

  it('places each network sensor where its newest WGS84 alert put it', async () => {
    await t.store.write(async (tx) => {
      await tx.alerts.insert(
        newAlert(1, { sensors: [sensor(1, { alert: 1, position: { lat: 1, lon: 1 } }), sensor(10, { alert: 1, position: { lat: 10, lon: 10 } })] }),
      );
      await tx.alerts.insert(newAlert(3, { sensors: [sensor(1, { alert: 3, position: { lat: 3, lon: 3 } })] }));
      await tx.alerts.insert(
        newAlert(2, { sensors: [sensor(1, { alert: 2, position: { lat: 2, lon: 2 } }), sensor(2, { alert: 2, position: { lat: 2, lon: 2 } })] }),
      );
      await tx.alerts.insert(newAlert(4, { coordinates: 'local', sensors: [sensor(1, { alert: 4, position: { x: 0, y: 0 } })] }));
      await tx.alerts.insert(newAlert(5, { source: 'b-net', sensors: [sensor(1, { alert: 5, position: { lat: 5, lon: 5 } })] }));
    });
    expect(await t.store.read((tx) => tx.sensors.network(10))).toEqual([
      { source: 'b-net', sensorId: 'S-1', lat: 5, lon: 5, alerts: 1 },
      { source: 'test-net', sensorId: 'S-1', lat: 3, lon: 3, alerts: 3 },
      // Text is compared as bytes on both backends: 'S-10' before 'S-2'.
      { source: 'test-net', sensorId: 'S-10', lat: 10, lon: 10, alerts: 1 },
      { source: 'test-net', sensorId: 'S-2', lat: 2, lon: 2, alerts: 1 },
    ]);
    expect(await t.store.read((tx) => tx.sensors.network(2))).toHaveLength(2);
  });

  it("gives one source's sensors that took part in an alert detected within a span, each where the span's newest WGS84 alert put it", async () => {
    await t.store.write(async (tx) => {
      await tx.alerts.insert(
        newAlert(1, { sensors: [sensor(1, { alert: 1, position: { lat: 1, lon: 1 } }), sensor(10, { alert: 1, position: { lat: 10, lon: 10 } })] }),
      );
      await tx.alerts.insert(newAlert(3, { sensors: [sensor(1, { alert: 3, position: { lat: 3, lon: 3 } })] }));
      await tx.alerts.insert(
        newAlert(2, { sensors: [sensor(1, { alert: 2, position: { lat: 2, lon: 2 } }), sensor(2, { alert: 2, position: { lat: 2, lon: 2 } })] }),
      );
      await tx.alerts.insert(newAlert(4, { sensors: [sensor(1, { alert: 4, position: { lat: 4, lon: 4 } })] }));
      await tx.alerts.insert(newAlert(5, { source: 'b-net', sensors: [sensor(3, { alert: 5, position: { lat: 5, lon: 5 } })] }));
    });
    const minute = 60_000_000;
    // Alerts 2 and 3 only (detected n minutes after T0): S-10 took part in alert 1 alone, alert 4 is after the span, alert 5 another source's.
    expect(await t.store.read((tx) => tx.sensors.reportedBetween('test-net', T0 + 2 * minute, T0 + 3 * minute, 10))).toEqual([
      { source: 'test-net', sensorId: 'S-1', lat: 3, lon: 3, alerts: 2 },
      { source: 'test-net', sensorId: 'S-2', lat: 2, lon: 2, alerts: 1 },
    ]);
    expect(await t.store.read((tx) => tx.sensors.reportedBetween('test-net', T0 + 2 * minute, T0 + 3 * minute, 1))).toHaveLength(1);
    expect(await t.store.read((tx) => tx.sensors.reportedBetween('test-net', T0 + 6 * minute, T0 + 9 * minute, 10))).toEqual([]);
  });

  it("reads a network's recent alerts through an index, not a scan of every alert kept", async () => {
    // Every import asks which sensors the network reported lately; a scan would slow each import as the store grows.
    const recent = 'SELECT id FROM alerts WHERE source = ? AND detected_us BETWEEN ? AND ?';
    let plan: string;
    if (t.backend === 'sqlite') {
      plan = (await t.probe.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${recent}`, 'test-net', T0, T0 + 1)).map((r) => r.detail).join('\n');
    } else {
      // An empty table is cheapest to scan whatever the indexes: tell the planner scans cost more, as they do on a full store.
      await t.probe.run('SET enable_seqscan = off');
      plan = (await t.probe.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${recent}`, 'test-net', T0, T0 + 1)).map((r) => r['QUERY PLAN']).join('\n');
    }
    expect(plan).toMatch(/alerts_source_detected/);
  });

  it('keeps settings as the JSON text written', async () => {
    expect(await t.store.read((tx) => tx.settings.get('map'))).toBeUndefined();
    const value = { z: 1, a: [1.5, 'ü', null], nested: { b: true } };
    await t.store.write((tx) => tx.settings.put('map', value, T0));
    await t.store.write((tx) => tx.settings.put('other', 7, T0));
    expect(await t.store.read((tx) => tx.settings.get('map'))).toEqual(value);
    expect(await t.probe.query("SELECT value_json, updated_us FROM settings WHERE key = 'map'")).toEqual([
      { value_json: JSON.stringify(value), updated_us: T0 },
    ]);
    await t.store.write((tx) => tx.settings.put('map', 'replaced', T0 + 1));
    expect(await t.store.read((tx) => tx.settings.get('map'))).toBe('replaced');
  });
});
