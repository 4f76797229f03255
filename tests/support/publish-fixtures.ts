import { createHash } from 'node:crypto';
import type { Core } from '../../src/core/core.ts';
import type { Session } from '../../src/kernel/session.ts';
import { newSession } from '../../src/kernel/session.ts';
import type { CapStatus, DecisionClass, Role } from '../../src/contract/index.ts';
import type { SolutionBody, WriteTx } from '../../src/kernel/store-port.ts';

/** The middle of the test city; jurisdictions below are squares around points near it. */
export const CITY = { lat: 38.6461, lon: -121.444 };
export const SECRET = 'test-signing-secret-0123456789abcdef';
/** The source of seeded alerts and of test bundles (tests/support/bundles.ts). */
export const TEST_SOURCE = 'test-network';

export const session = (core: Core, roles: Role[] = ['reviewer', 'trainer', 'auditor', 'admin'], name = 'tester'): Session =>
  newSession('cli', { name, roles });

/** A closed square ring of [lon, lat] around a point, `half` degrees each way, counter-clockwise. */
export const squareRing = (c: { lat: number; lon: number }, half: number): number[][] => [
  [c.lon - half, c.lat - half],
  [c.lon + half, c.lat - half],
  [c.lon + half, c.lat + half],
  [c.lon - half, c.lat + half],
  [c.lon - half, c.lat - half],
];

/** GeoJSON text of a square jurisdiction, optionally with a square hole, as a Feature with a name. */
export function squareJurisdiction(c: { lat: number; lon: number }, half: number, o: { hole?: number; name?: string } = {}): string {
  const rings = [squareRing(c, half), ...(o.hole ? [squareRing(c, o.hole).reverse()] : [])];
  return JSON.stringify({ type: 'Feature', properties: { name: o.name ?? 'Test PD' }, geometry: { type: 'Polygon', coordinates: rings } });
}

export interface SeedOptions {
  at?: { lat: number; lon: number } | null;
  coordinates?: 'wgs84' | 'local';
  ellipse?: { semiMajorM: number; semiMinorM: number; azimuthDeg: number } | null;
  rounds?: number;
  externalId?: string;
  sensors?: number;
  /** Another source than the (live) test network: left as it is, unmarked unless a test marks it. */
  source?: string;
  /** When it was detected (default: a second and a half after its clips start); the shot a second and a half before. */
  detectedUs?: number;
}

let seq = 0;

/**
 * The seeded alerts' source is marked live (audited, as an administrator would): these fixtures
 * serve tests of routing and delivery. What a source's status does has tests of its own.
 */
async function liveTestNetwork(tx: WriteTx, atUs: number): Promise<void> {
  if ((await tx.sources.statusOf(TEST_SOURCE)) !== null) return;
  await tx.sources.set(TEST_SOURCE, 'live', 'the test network', atUs, 'tests');
  await tx.audit.append({
    atUs,
    actor: 'tests',
    action: 'source.status_set',
    entity: `source:${TEST_SOURCE}`,
    payload: { source: TEST_SOURCE, status: 'live' },
  });
}

/**
 * An alert straight into the store (through the port, so on either backend), with a located
 * solution: publishing needs the alert's facts, not its audio, so this is fast enough to seed
 * hundreds. Clip rows carry a real-looking hash.
 */
export async function seedAlert(core: Core, o: SeedOptions = {}): Promise<number> {
  const at = o.at === undefined ? CITY : o.at;
  const n = o.sensors ?? 4;
  const t0 = 1_763_600_000_000_000 + seq * 10_000_000;
  const id = `SEED-${process.pid}-${++seq}`;
  return core.storePort.write(async (tx) => {
    if (o.source === undefined) await liveTestNetwork(tx, t0);
    const sensors = Array.from({ length: n }, (_, i) => {
      const sha = createHash('sha256').update(`${id}-${i}`).digest('hex');
      const local = { x: 400 * Math.cos(i), y: 400 * Math.sin(i), z: null };
      return {
        sensorId: `S-${i + 1}`,
        position:
          o.coordinates === 'local'
            ? { x: local.x, y: local.y }
            : { lat: (at?.lat ?? CITY.lat) + local.y / 111_320, lon: (at?.lon ?? CITY.lon) + local.x / 87_000 },
        local,
        clip: { sha256: sha, bytes: 64_044 + i, format: 'pcm16', sampleRate: 16000, channels: 1, frames: 32_000 },
        channel: 0,
        clipStartUs: t0,
        clipStartIso: new Date(t0 / 1000).toISOString(),
        fullScaleDbSpl: 120,
        peaksPerSecond: 10,
        peaks: new Float32Array(40),
      };
    });
    const alertId = await tx.alerts.insert({
      source: o.source ?? TEST_SOURCE,
      externalId: o.externalId ?? id,
      format: 'acoustic-alert/1',
      detectedUs: o.detectedUs ?? t0 + 1_500_000,
      importedUs: t0 + 2_000_000,
      coordinates: o.coordinates ?? 'wgs84',
      localOrigin: o.coordinates === 'local' ? null : CITY,
      machine: { label: 'gunshot', confidence: 0.9, rounds: o.rounds ?? 2 },
      weather: null,
      sensors,
      pulses: sensors.map((s, i) => ({
        sensorId: s.sensorId,
        offsetS: 0.6 + i * 0.01,
        timeUs: t0 + 600_000 + i * 10_000,
        snrDb: 20 + i,
        peakDbfs: -6,
        peakDbSpl: 114,
        shotIndex: 1,
        origin: 'machine' as const,
      })),
    });
    if (at !== null) {
      const body: SolutionBody = {
        temperatureC: 15,
        temperatureSource: 'default',
        speedOfSoundMs: 340.3,
        rounds: o.rounds ?? 2,
        shots: [
          {
            index: 1,
            timeUs: o.detectedUs === undefined ? t0 + 600_000 : o.detectedUs - 1_500_000,
            position: o.coordinates === 'local' ? { x: 35, y: -20 } : { lat: at.lat, lon: at.lon },
            local: { x: 35, y: -20 },
            ellipse95: o.ellipse === undefined ? { semiMajorM: 24, semiMinorM: 9, azimuthDeg: 30 } : o.ellipse,
            gdop: 1.2,
            sensorsUsed: sensors.map((s) => s.sensorId),
            residualRmsMs: 0.4,
            residualsMs: {},
          },
        ],
      };
      await tx.alerts.addSolution(alertId, 'machine', 'locator', t0 + 2_000_000, body);
    }
    return alertId;
  });
}

export async function addAgency(
  core: Core,
  o: {
    name: string;
    url: string | string[];
    format?: 'cap' | 'json' | 'eido';
    secret?: string;
    at?: { lat: number; lon: number };
    half?: number;
    classes?: DecisionClass[];
    accepts?: CapStatus[];
  },
) {
  const urls = Array.isArray(o.url) ? o.url : [o.url];
  return core.call(session(core), 'addAgency', {
    name: o.name,
    geojson: squareJurisdiction(o.at ?? CITY, o.half ?? 0.05),
    endpoints: urls.map((url) => ({ url, format: o.format ?? 'cap', secret: o.secret ?? SECRET })),
    ...(o.classes ? { classes: o.classes } : {}),
    ...(o.accepts ? { accepts: o.accepts } : {}),
  });
}

export const decide = (core: Core, alertId: number, cls: DecisionClass = 'gunfire_multiple', rounds: number | null = 3) =>
  core.call(session(core), 'decide', { alertId, class: cls, rounds, notes: cls === 'other' ? 'not gunfire' : '', reviewMs: 4200 });

/** Waits until `check` returns a truthy value, polling; throws with `what` after the timeout. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000, everyMs = 25): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
