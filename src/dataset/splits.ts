import type { ProjectClip, SplitBy } from '../contract/index.ts';
import { sha256Hex } from '../util/canonical.ts';
import { formatIsoMicros } from '../util/time.ts';
import { recordingsOf } from './recordings.ts';

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];
export type SplitShares = Record<SplitName, number>;
export type { SplitBy };

/** What is known of the alert a track came from: enough to tell incidents apart. */
export interface AlertPlace {
  alertId: number;
  source: string;
  externalId: string;
  detectedUs: number;
  lat: number | null;
  lon: number | null;
}

/** Alerts of one network this close in time, and (where both are located on the globe) in space, are one incident. */
export const INCIDENT_GAP_US = 120_000_000;
export const INCIDENT_RADIUS_M = 1000;

export type GroupBasis = 'alert' | 'incident' | 'recording' | 'site' | 'sensor' | 'folder' | 'date' | 'clip';

export interface SplitItem {
  clip: ProjectClip;
  /** What the split balances: labels (per-label export) or clips (per-clip export). */
  weight: number;
}

export interface SplitPlan {
  splitOf: (clip: ProjectClip) => SplitName;
  /** The group each clip ended in, after merging groups that share audio. */
  groupOf: (clip: ProjectClip) => string;
  /** The source recording each clip belongs to. */
  recordingOf: (clip: ProjectClip) => string;
  groups: Record<SplitName, number>;
  /** What each clip was kept together by, with the reason where another basis stood in for the key. */
  grouping: { basis: GroupBasis; clips: number; because: string | null }[];
}

function metres(a: AlertPlace, b: AlertPlace): number | null {
  if (a.lat === null || a.lon === null || b.lat === null || b.lon === null) return null;
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.hypot(x, y) * 6_371_000;
}

/**
 * Incidents: alerts of one network detected within INCIDENT_GAP_US of another alert of the same
 * incident and, where both have a fix on the globe, within INCIDENT_RADIUS_M of it (single linkage:
 * a shooting heard as several alerts is one incident). Alerts without a fix link by time alone,
 * which can only join more, never part what belongs together.
 */
export function incidentsOf(alerts: readonly AlertPlace[]): Map<number, string> {
  const parent = new Map<number, number>(alerts.map((a) => [a.alertId, a.alertId]));
  const find = (id: number): number => {
    let r = id;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(id, r);
    return r;
  };
  const bySource = new Map<string, AlertPlace[]>();
  for (const a of alerts) bySource.set(a.source, [...(bySource.get(a.source) ?? []), a]);
  for (const list of bySource.values()) {
    list.sort((a, b) => a.detectedUs - b.detectedUs || a.alertId - b.alertId);
    for (let i = 1; i < list.length; i++) {
      const a = list[i]!;
      for (let j = i - 1; j >= 0 && a.detectedUs - list[j]!.detectedUs <= INCIDENT_GAP_US; j--) {
        const d = metres(a, list[j]!);
        if (d !== null && d > INCIDENT_RADIUS_M) continue;
        const ra = find(a.alertId);
        const rb = find(list[j]!.alertId);
        if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
      }
    }
  }
  return new Map(alerts.map((a) => [a.alertId, `incident:${find(a.alertId)}`]));
}

interface Keys {
  keys: string[];
  basis: GroupBasis;
  because: string | null;
}

const NO_ALERT = 'plain audio has no alert: kept with its source recording';

/** The keys a clip is grouped by (all of them join one group) and what they stand for. */
function keysOf(clip: ProjectClip, by: SplitBy, recording: string, incident: (alertId: number) => string): Keys {
  const alertId = clip.origin === 'alert' ? clip.alertId : null;
  switch (by) {
    case 'alert':
      // The tracks of one alert are the same shot; alerts sharing a recording share audio.
      return alertId === null
        ? { keys: [recording], basis: 'recording', because: NO_ALERT }
        : { keys: [`alert:${alertId}`, recording], basis: 'alert', because: null };
    case 'incident':
      return alertId === null
        ? { keys: [recording], basis: 'recording', because: NO_ALERT }
        : { keys: [incident(alertId), recording], basis: 'incident', because: null };
    case 'recording':
      return { keys: [recording], basis: 'recording', because: null };
    case 'site':
      return { keys: [`site:${clip.site}`], basis: 'site', because: null };
    case 'sensor':
      return clip.origin === 'alert'
        ? { keys: [`sensor:${clip.sensorKey}`], basis: 'sensor', because: null }
        : { keys: [`folder:${clip.sensorKey}`], basis: 'folder', because: 'plain audio has no sensor: the folder holding each file stood in for it' };
    case 'date':
      return clip.clipStartUs === null
        ? { keys: [recording], basis: 'recording', because: 'plain audio has no date: kept with its source recording' }
        : { keys: [`date:${formatIsoMicros(clip.clipStartUs).slice(0, 10)}`], basis: 'date', because: null };
    case 'clip':
      return { keys: [`clip:${clip.clip.sha256}`], basis: 'clip', because: null };
  }
}

/**
 * Assigns whole groups to splits. A clip's group is its key (see SplitBy); groups that share audio
 * (the same recording bytes under two origins) are merged first, so the same samples can never
 * sit in two splits whatever the grouping. Groups are then taken in an order fixed by the seed (a
 * hash of seed and key) and each goes to the split furthest below its share: the same data and
 * seed give the same splits, a new seed reshuffles. Leaks across splits are found by findLeaks.
 */
export function planSplits(
  items: readonly SplitItem[],
  by: SplitBy,
  shares: SplitShares,
  seed: string,
  alerts: ReadonlyMap<number, AlertPlace> = new Map(),
): SplitPlan {
  const recordings = recordingsOf(items.map((i) => i.clip));
  const incidents = incidentsOf([...alerts.values()]);
  const incident = (alertId: number) => incidents.get(alertId) ?? `alert:${alertId}`;
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let c = k;
    while (c !== r) {
      const next = parent.get(c)!;
      parent.set(c, r);
      c = next;
    }
    return r;
  };
  const add = (k: string) => {
    if (!parent.has(k)) parent.set(k, k);
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    if (ra < rb) parent.set(rb, ra);
    else parent.set(ra, rb);
  };
  const firstKey = new Map<number, string>();
  const basis = new Map<string, { basis: GroupBasis; clips: number; because: string | null }>();
  for (const { clip } of items) {
    const k = keysOf(clip, by, recordings.get(clip.id)!, incident);
    const sameAudio = `audio:${clip.clip.sha256}`;
    for (const key of [...k.keys, sameAudio]) add(key);
    for (const key of k.keys.slice(1)) union(k.keys[0]!, key);
    union(k.keys[0]!, sameAudio);
    firstKey.set(clip.id, k.keys[0]!);
    const b = basis.get(k.basis) ?? { basis: k.basis, clips: 0, because: k.because };
    b.clips++;
    basis.set(k.basis, b);
  }
  const groupOf = (clip: ProjectClip) => find(firstKey.get(clip.id)!);
  const weight = new Map<string, number>();
  for (const { clip, weight: w } of items) {
    const root = groupOf(clip);
    weight.set(root, (weight.get(root) ?? 0) + w);
  }
  const total = [...weight.values()].reduce((a, b) => a + b, 0);
  const order = [...weight.keys()].map((k) => ({ k, h: sha256Hex(`${seed}\n${k}`) })).sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
  const assigned: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };
  const groups: Record<SplitName, number> = { train: 0, validation: 0, test: 0 };
  const splitOfRoot = new Map<string, SplitName>();
  for (const { k } of order) {
    let best: SplitName = 'train';
    let bestDeficit = -Infinity;
    for (const s of SPLIT_NAMES) {
      if (shares[s] <= 0) continue;
      const deficit = shares[s] * total - assigned[s];
      if (deficit > bestDeficit) {
        best = s;
        bestDeficit = deficit;
      }
    }
    splitOfRoot.set(k, best);
    assigned[best] += weight.get(k)!;
    groups[best]++;
  }
  return {
    splitOf: (clip) => splitOfRoot.get(groupOf(clip))!,
    groupOf,
    recordingOf: (clip) => recordings.get(clip.id)!,
    groups,
    grouping: [...basis.values()].sort((a, b) => b.clips - a.clips),
  };
}

export interface SplitLeakReport {
  alerts: number;
  clips: number;
  recordings: number;
  examples: string[];
}

/**
 * What lands in more than one split: an alert (its tracks are one shot heard from several places),
 * a clip's audio, or a source recording. Any of these in train and test tests a model on what it
 * trained on.
 */
export function findLeaks(
  clips: readonly ProjectClip[],
  plan: Pick<SplitPlan, 'splitOf' | 'recordingOf'>,
  alerts: ReadonlyMap<number, AlertPlace> = new Map(),
): SplitLeakReport {
  const spread = new Map<string, { name: string; splits: Set<SplitName> }>();
  const note = (key: string, name: string, split: SplitName) => {
    const e = spread.get(key) ?? { name, splits: new Set<SplitName>() };
    e.splits.add(split);
    spread.set(key, e);
  };
  for (const c of clips) {
    const split = plan.splitOf(c);
    if (c.origin === 'alert' && c.alertId !== null) {
      const a = alerts.get(c.alertId);
      note(`alert:${c.alertId}`, `alert ${c.alertId}${a ? ` (${a.source}/${a.externalId})` : ''}`, split);
    }
    note(`audio:${c.clip.sha256}`, `the audio of clip ${c.id} (${c.name})`, split);
    note(`recording:${plan.recordingOf(c)}`, `the source recording of clip ${c.id} (${c.name})`, split);
  }
  const crossing = [...spread.entries()].filter(([, e]) => e.splits.size > 1);
  const count = (prefix: string) => crossing.filter(([k]) => k.startsWith(prefix)).length;
  const order = (s: Set<SplitName>) => SPLIT_NAMES.filter((n) => s.has(n)).join(' and ');
  const examples = ['alert:', 'recording:', 'audio:']
    .flatMap((p) => crossing.filter(([k]) => k.startsWith(p)).slice(0, 3))
    .map(([, e]) => `${e.name} is in ${order(e.splits)}`);
  return { alerts: count('alert:'), clips: count('audio:'), recordings: count('recording:'), examples };
}
