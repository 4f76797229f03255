/**
 * A populated store for audit tests: alerts imported through the real importer from generated
 * bundles (each with its own source position, so every clip is a distinct file), and decisions
 * made through the contract by named reviewers, on a fake clock.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav } from '../../src/audio/wav.ts';
import { openCore, type Core } from '../../src/core/core.ts';
import { newSession, type Session } from '../../src/kernel/session.ts';
import type { DecisionClass, Role } from '../../src/contract/index.ts';
import { importFolder } from '../../src/ingest/import.ts';
import { formatIsoMicros, type Clock } from '../../src/util/time.ts';
import { impulseClip } from './sensor-folders.ts';
import { prng } from './riff.ts';

export const BASE_US = 1_763_600_000_000_000;

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  constructor(public us = BASE_US + 10_000_000_000) {}
  nowUs(): number {
    return this.us;
  }
  advance(seconds: number): number {
    this.us += Math.round(seconds * 1e6);
    return this.us;
  }
}

export function sessionFor(name: string, roles: Role[] = ['reviewer']): Session {
  return newSession('cli', { name, roles });
}

export interface BundleSpec {
  id: string;
  index: number;
  detectedUs?: number;
  machineLabel?: string | null;
  sensors?: number;
}

/** A small acoustic-alert/1 bundle: 1 s at 8 kHz per sensor, source position and noise seeded by `index`. */
export function writeAuditBundle(dir: string, spec: BundleSpec): string {
  const r = prng(1000 + spec.index);
  const n = spec.sensors ?? 4;
  const sr = 8000;
  const src = { x: (r() - 0.5) * 160, y: (r() - 0.5) * 160 };
  const t0 = spec.detectedUs !== undefined ? spec.detectedUs - 2_000_000 : BASE_US + spec.index * 60_000_000;
  mkdirSync(dir, { recursive: true });
  const sensors = [];
  for (let i = 0; i < n; i++) {
    const ang = (2 * Math.PI * i) / n + r() * 0.3;
    const x = 150 * Math.cos(ang),
      y = 150 * Math.sin(ang);
    const arrival = 0.1 + Math.hypot(x - src.x, y - src.y) / 343;
    const samples = impulseClip(sr, 1.2, arrival, spec.index * 31 + i + 1);
    const file = `S-${i + 1}.wav`;
    writeFileSync(join(dir, file), encodeWav([samples], { format: 'pcm16', sampleRate: sr }));
    sensors.push({
      id: `S-${i + 1}`,
      lat: 38.6461 + y / 111_320,
      lon: -121.444 + x / (111_320 * Math.cos((38.6461 * Math.PI) / 180)),
      elevationM: 12,
      clip: file,
      clipStart: formatIsoMicros(t0),
      fullScaleDbSpl: 120,
    });
  }
  const alert = {
    format: 'acoustic-alert/1',
    id: spec.id,
    source: 'audit-test',
    detectedAt: formatIsoMicros(spec.detectedUs ?? t0 + 2_000_000),
    ...(spec.machineLabel === null ? {} : { machine: { label: spec.machineLabel ?? 'gunshot', confidence: 0.9, rounds: 1 } }),
    weather: { temperatureC: 15 },
    coordinates: 'wgs84',
    sensors,
  };
  writeFileSync(join(dir, 'alert.json'), JSON.stringify(alert));
  return dir;
}

export async function importBundle(core: Core, root: string, spec: BundleSpec, actor = 'importer'): Promise<number> {
  const out = await importFolder(core, writeAuditBundle(join(root, spec.id), spec), actor);
  if (out.status !== 'imported') throw new Error(`fixture import failed: ${out.message}`);
  return out.alertId!;
}

export async function decide(core: Core, clock: FakeClock, who: string, alertId: number, cls: DecisionClass, reviewMs = 30_000) {
  clock.advance(1);
  return core.call(sessionFor(who), 'decide', {
    alertId,
    class: cls,
    rounds: cls.startsWith('gunfire') ? (cls === 'gunfire_multiple' ? 3 : 1) : null,
    notes: cls === 'other' ? 'a door slammed' : '',
    reviewMs,
  });
}

const CLASSES: DecisionClass[] = ['gunfire_single', 'gunfire_multiple', 'fireworks', 'vehicle_backfire', 'other', 'probable_gunfire'];

/**
 * `alerts` imports (2 entries each: alert.imported, solution.added) and a decision on most of
 * them (decision.made, plus qa.sampled from the sampling hook): several hundred entries.
 */
export async function populatedCore(root: string, alerts: number): Promise<{ core: Core; clock: FakeClock; alertIds: number[] }> {
  const clock = new FakeClock();
  const core = openCore({ dataDir: join(root, 'data'), clock });
  const reviewers = ['alice', 'bob', 'carol'];
  const alertIds: number[] = [];
  for (let i = 0; i < alerts; i++) {
    clock.advance(5);
    const id = await importBundle(core, join(root, 'bundles'), { id: `A-${String(i).padStart(4, '0')}`, index: i });
    alertIds.push(id);
    if (i % 5 !== 4) await decide(core, clock, reviewers[i % 3]!, id, CLASSES[i % CLASSES.length]!);
  }
  return { core, clock, alertIds };
}
