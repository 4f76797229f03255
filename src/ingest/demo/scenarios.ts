import type { DecisionClass } from '../../contract/taxonomy.ts';
import { drawBuildings, strongEcho, type Wall } from './buildings.ts';
import type { DemoNetwork, Vec3 } from './network.ts';
import type { Rng } from './rng.ts';
import type { PulseShape } from './waveforms.ts';

/**
 * What happens at the source: each scenario is a list of emissions (a muzzle blast, a
 * fireworks burst at height, one pop of a firecracker string), each with its own exact
 * time, position, level and waveform. Levels and timings are typical published values.
 */

export const SCENARIO_KINDS = ['single_shot', 'semi_auto', 'full_auto', 'fireworks', 'firecrackers', 'backfire', 'hammering'] as const;
export type ScenarioKind = (typeof SCENARIO_KINDS)[number];

export const SCENARIO_CLASS: Record<ScenarioKind, DecisionClass> = {
  single_shot: 'gunfire_single',
  semi_auto: 'gunfire_multiple',
  full_auto: 'gunfire_multiple',
  fireworks: 'fireworks',
  firecrackers: 'firecracker',
  backfire: 'vehicle_backfire',
  hammering: 'construction_impact',
};

/** How often each scenario comes up when none is asked for. */
export const SCENARIO_WEIGHTS: readonly (readonly [ScenarioKind, number])[] = [
  ['single_shot', 22],
  ['semi_auto', 14],
  ['full_auto', 10],
  ['fireworks', 14],
  ['firecrackers', 14],
  ['backfire', 12],
  ['hammering', 14],
];

export type EmissionKind = 'muzzle' | 'lift' | 'aerial_burst' | 'crackle' | 'firecracker' | 'backfire' | 'impact';

export interface Bullet {
  /** Unit vector of flight in the local frame. */
  dir: Vec3;
  speedMs: number;
  /** Distance over which the bullet stays supersonic. */
  rangeM: number;
  /** Peak SPL of the shock 1 m from the trajectory (it falls as miss distance^-3/4). */
  crackLevelDb: number;
  /** N-wave duration 1 m from the trajectory (it grows as miss distance^1/4). */
  crackDurationS: number;
}

export interface Emission {
  /** 1-based, in time order. */
  index: number;
  kind: EmissionKind;
  /** Emission time in integer microseconds after the event epoch. */
  tUs: number;
  pos: Vec3;
  heightM: number;
  /** Peak sound pressure level 1 m from the source, on its loudest axis. */
  levelDb: number;
  shape: PulseShape;
  /** Muzzle and exhaust blasts are louder ahead than behind. */
  directivity: { azimuthRad: number; frontBackDb: number } | null;
  bullet: Bullet | null;
  /** Counts as a round (a shot, a burst, a bang); crackle pops and launch thumps do not. */
  round: boolean;
}

export type { Wall } from './buildings.ts';

/** What a scene must hold, beyond what chance gives it (the evaluation's hard cases). */
export interface SceneConditions {
  /** A large hard facade 40-150 m from the source, whose echo most sensors hear. */
  echo?: boolean;
  /** A fast string: semi-automatic rounds 0.1-0.3 s apart. */
  fastString?: boolean;
}

export interface Scene {
  kind: ScenarioKind;
  class: DecisionClass;
  fullyAutomatic: boolean;
  weapon: string | null;
  emissions: Emission[];
  walls: Wall[];
  /** Pressure reflection coefficient of the ground around the source (asphalt about 0.9, grass lower). */
  groundReflection: number;
  /** Reverberation time of the streets around the source, seconds. */
  reverbS: number;
}

interface Draft extends Omit<Emission, 'index' | 'tUs' | 'pos'> {
  tS: number;
  x: number;
  y: number;
}

const rad = (deg: number) => (deg * Math.PI) / 180;

function weapon(rng: Rng, automatic: boolean) {
  const rifle = automatic ? rng.chance(0.7) : rng.chance(0.35);
  return rifle
    ? { name: automatic ? 'automatic rifle' : 'rifle', levelDb: rng.uniform(160, 167), positiveS: rng.uniform(0.7e-3, 1.4e-3), supersonic: true }
    : { name: automatic ? 'machine pistol' : 'handgun', levelDb: rng.uniform(154, 161), positiveS: rng.uniform(0.35e-3, 0.7e-3), supersonic: false };
}

function gunfire(rng: Rng, x: number, y: number, times: number[], automatic: boolean): { drafts: Draft[]; weapon: string } {
  const w = weapon(rng, automatic);
  let azimuth = rng.uniform(0, 2 * Math.PI);
  const heightM = rng.uniform(1.1, 1.7);
  const drafts = times.map((tS) => {
    azimuth += rng.normal(0, automatic ? 0.03 : 0.12); // a hand-held weapon wanders between shots
    const elevation = rad(rng.uniform(-1, 6));
    return {
      kind: 'muzzle' as const,
      tS,
      x,
      y,
      heightM,
      levelDb: w.levelDb + rng.normal(0, 0.5),
      shape: { kind: 'friedlander' as const, positiveS: w.positiveS * rng.uniform(0.95, 1.05), decay: rng.uniform(1.6, 2.4) },
      directivity: { azimuthRad: azimuth, frontBackDb: rng.uniform(8, 14) },
      bullet: w.supersonic
        ? {
            dir: { x: Math.sin(azimuth) * Math.cos(elevation), y: Math.cos(azimuth) * Math.cos(elevation), z: Math.sin(elevation) },
            speedMs: rng.uniform(750, 950),
            rangeM: rng.uniform(500, 900),
            crackLevelDb: rng.uniform(150, 156),
            crackDurationS: rng.uniform(0.12e-3, 0.2e-3),
          }
        : null,
      round: true,
    };
  });
  return { drafts, weapon: w.name };
}

function singleShot(rng: Rng, x: number, y: number) {
  return gunfire(rng, x, y, [0], false);
}

/** Share of semi-automatic strings fired fast: a practised shooter's 0.1-0.3 s between rounds. */
const FAST_STRING_SHARE = 0.3;

function semiAuto(rng: Rng, x: number, y: number, o: SceneConditions = {}) {
  // Its own stream, so the draws below stay those of the slower strings.
  const pace = rng.fork('pace');
  if (o.fastString || pace.chance(FAST_STRING_SHARE)) {
    const times = [0];
    for (let i = 1, n = pace.int(3, 6); i < n; i++) times.push(times[i - 1]! + pace.uniform(0.1, 0.3));
    return gunfire(rng, x, y, times, false);
  }
  const n = rng.int(2, 9);
  const base = rng.uniform(0.18, 0.5);
  const times = [0];
  for (let i = 1; i < n; i++) times.push(times[i - 1]! + base * rng.uniform(0.7, 1.5));
  return gunfire(rng, x, y, times, false);
}

function fullAuto(rng: Rng, x: number, y: number) {
  const periodS = rng.uniform(0.06, 0.13); // 460 to 1000 rounds a minute
  const times: number[] = [];
  const bursts = rng.chance(0.45) ? 2 : 1;
  let t = 0;
  for (let b = 0; b < bursts; b++) {
    const n = rng.int(3, b === 0 ? 18 : 10);
    for (let i = 0; i < n; i++) {
      times.push(t);
      t += periodS * rng.uniform(0.98, 1.02);
    }
    t += rng.uniform(0.4, 1.4);
  }
  return gunfire(rng, x, y, times, true);
}

function crackle(
  rng: Rng,
  drafts: Draft[],
  at: { tS: number; x: number; y: number; heightM: number },
  count: number,
  spreadM: number,
  spanS: number,
  levelDb: [number, number],
) {
  for (let i = 0; i < count; i++) {
    const dt = rng.uniform(0, spanS);
    const a = rng.uniform(0, 2 * Math.PI);
    const r = spreadM * Math.sqrt(rng.next());
    drafts.push({
      kind: 'crackle',
      tS: at.tS + dt,
      x: at.x + r * Math.cos(a),
      y: at.y + r * Math.sin(a),
      heightM: Math.max(0.3, at.heightM + rng.uniform(-spreadM, spreadM) * (at.heightM > 20 ? 0.5 : 0.05) - 4.9 * dt * dt * (at.heightM > 20 ? 1 : 0)),
      levelDb: rng.uniform(levelDb[0], levelDb[1]),
      shape: { kind: 'friedlander', positiveS: rng.uniform(0.15e-3, 0.4e-3), decay: 2 },
      directivity: null,
      bullet: null,
      round: false,
    });
  }
}

function fireworks(rng: Rng, x: number, y: number): { drafts: Draft[]; weapon: null } {
  const drafts: Draft[] = [];
  if (rng.chance(0.3)) {
    // A ground cake or fountain: a long crackle, a few louder reports among it.
    crackle(rng, drafts, { tS: 0, x, y, heightM: 1.5 }, rng.int(60, 180), 3, rng.uniform(2, 4.5), [125, 137]);
    for (let i = 0, n = rng.int(1, 4); i < n; i++) {
      drafts.push({
        kind: 'firecracker',
        tS: rng.uniform(0, 3),
        x,
        y,
        heightM: rng.uniform(2, 12),
        levelDb: rng.uniform(142, 150),
        shape: { kind: 'friedlander', positiveS: rng.uniform(0.6e-3, 1.5e-3), decay: 1.5 },
        directivity: null,
        bullet: null,
        round: true,
      });
    }
    return { drafts, weapon: null };
  }
  const shells = rng.int(1, 4);
  let launch = 0;
  for (let s = 0; s < shells; s++) {
    drafts.push({
      kind: 'lift',
      tS: launch,
      x,
      y,
      heightM: 0.5,
      levelDb: rng.uniform(134, 142),
      shape: { kind: 'friedlander', positiveS: rng.uniform(3e-3, 6e-3), decay: 1.2 },
      directivity: null,
      bullet: null,
      round: false,
    });
    const flight = rng.uniform(2, 3.4);
    const burst = { tS: launch + flight, x: x + rng.uniform(-25, 25), y: y + rng.uniform(-25, 25), heightM: rng.uniform(80, 180) };
    drafts.push({
      kind: 'aerial_burst',
      ...burst,
      levelDb: rng.uniform(150, 161),
      shape: { kind: 'friedlander', positiveS: rng.uniform(3e-3, 8e-3), decay: rng.uniform(1, 1.5) },
      directivity: null,
      bullet: null,
      round: true,
    });
    if (rng.chance(0.5)) crackle(rng, drafts, { ...burst, tS: burst.tS + 0.3 }, rng.int(40, 140), rng.uniform(15, 45), rng.uniform(0.6, 2.2), [118, 132]);
    launch += rng.uniform(1, 4);
  }
  return { drafts, weapon: null };
}

function firecrackers(rng: Rng, x: number, y: number): { drafts: Draft[]; weapon: null } {
  const drafts: Draft[] = [];
  const string = rng.chance(0.6);
  const n = string ? rng.int(8, 60) : rng.int(1, 4);
  let t = 0;
  for (let i = 0; i < n; i++) {
    drafts.push({
      kind: 'firecracker',
      tS: t,
      x: x + rng.uniform(-1.5, 1.5),
      y: y + rng.uniform(-1.5, 1.5),
      heightM: rng.uniform(0.1, 0.6),
      levelDb: rng.uniform(138, 150),
      shape: { kind: 'friedlander', positiveS: rng.uniform(0.2e-3, 0.5e-3), decay: rng.uniform(1.6, 2.4) },
      directivity: null,
      bullet: null,
      round: true,
    });
    t += string ? 0.015 - Math.log(1 - rng.next()) * rng.uniform(0.03, 0.07) : rng.uniform(0.8, 3);
  }
  return { drafts, weapon: null };
}

function backfire(rng: Rng, x: number, y: number): { drafts: Draft[]; weapon: null } {
  const heading = rng.uniform(0, 2 * Math.PI);
  const speed = rng.uniform(5, 15);
  const drafts: Draft[] = [];
  let t = 0;
  for (let i = 0, n = rng.int(1, 3); i < n; i++) {
    drafts.push({
      kind: 'backfire',
      tS: t,
      x: x + Math.sin(heading) * speed * t,
      y: y + Math.cos(heading) * speed * t,
      heightM: 0.4,
      levelDb: rng.uniform(136, 146),
      shape: {
        kind: 'backfire',
        positiveS: rng.uniform(2e-3, 5e-3),
        decay: rng.uniform(0.8, 1.4),
        resonanceHz: rng.uniform(60, 140),
        resonanceDecayS: rng.uniform(0.015, 0.04),
      },
      directivity: { azimuthRad: heading + Math.PI, frontBackDb: rng.uniform(4, 8) },
      bullet: null,
      round: true,
    });
    t += rng.uniform(0.3, 2);
  }
  return { drafts, weapon: null };
}

function hammering(rng: Rng, x: number, y: number): { drafts: Draft[]; weapon: null } {
  const period = rng.uniform(0.45, 0.9);
  const heightM = rng.uniform(2, 15);
  const f1 = rng.uniform(300, 900);
  const drafts: Draft[] = [];
  for (let i = 0, n = rng.int(5, 14); i < n; i++) {
    drafts.push({
      kind: 'impact',
      tS: i * period * rng.uniform(0.94, 1.06),
      x,
      y,
      heightM,
      levelDb: rng.uniform(132, 141),
      shape: { kind: 'ringing', clickS: rng.uniform(0.1e-3, 0.25e-3), modesHz: [f1, f1 * 2.76, f1 * 5.4], decayS: rng.uniform(0.008, 0.03) },
      directivity: null,
      bullet: null,
      round: true,
    });
  }
  return { drafts, weapon: null };
}

const MAKERS: Record<ScenarioKind, (rng: Rng, x: number, y: number, o: SceneConditions) => { drafts: Draft[]; weapon: string | null }> = {
  single_shot: singleShot,
  semi_auto: semiAuto,
  full_auto: fullAuto,
  fireworks,
  firecrackers,
  backfire,
  hammering,
};

/** One scene of the given kind around a ground point of the network's frame. */
export function makeScene(kind: ScenarioKind, rng: Rng, net: DemoNetwork, x: number, y: number, o: SceneConditions = {}): Scene {
  const { drafts, weapon } = MAKERS[kind](rng.fork('source'), x, y, o);
  drafts.sort((a, b) => a.tS - b.tS);
  const emissions = drafts.map((d, i): Emission => {
    const { tS, x: ex, y: ey, ...rest } = d;
    return { ...rest, index: i + 1, tUs: Math.round(tS * 1e6), pos: { x: ex, y: ey, z: net.groundAt(ex, ey) + d.heightM } };
  });
  const walls: Wall[] = [];
  for (let i = 0, n = rng.int(0, 2); i < n; i++) {
    const toWall = rng.uniform(0, 2 * Math.PI);
    const dist = rng.uniform(4, 30);
    const normal = { x: -Math.sin(toWall), y: -Math.cos(toWall), z: 0 };
    walls.push({ point: { x: x + Math.sin(toWall) * dist, y: y + Math.cos(toWall) * dist, z: net.groundAt(x, y) }, normal, reflection: rng.uniform(0.4, 0.8) });
  }
  // The block around it: buildings whose facades echo, or stand between the source and a sensor.
  walls.push(...drawBuildings(rng.fork('buildings'), net, { x, y }));
  if (o.echo) walls.push(strongEcho(rng.fork('strong-echo'), net, { x, y }));
  return {
    kind,
    class: SCENARIO_CLASS[kind],
    fullyAutomatic: kind === 'full_auto',
    weapon,
    emissions,
    walls,
    groundReflection: rng.uniform(0.55, 0.92),
    reverbS: rng.uniform(0.4, 1.2),
  };
}
