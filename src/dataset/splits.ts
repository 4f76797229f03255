import type { ProjectClip } from '../contract/index.ts';
import { sha256Hex } from '../util/canonical.ts';
import { formatIsoMicros } from '../util/time.ts';

export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];
export type SplitBy = 'site' | 'sensor' | 'date' | 'clip';
export type SplitShares = Record<SplitName, number>;

/**
 * What no two splits may share. Plain audio has no date: each such recording is its own date group.
 * `clip` groups by audio content, so the same recording under two origins is still one group.
 */
export function groupKey(clip: ProjectClip, by: SplitBy): string {
  switch (by) {
    case 'site':
      return `site:${clip.site}`;
    case 'sensor':
      return `sensor:${clip.sensorKey}`;
    case 'date':
      return clip.clipStartUs === null ? `clip:${clip.clip.sha256}` : `date:${formatIsoMicros(clip.clipStartUs).slice(0, 10)}`;
    case 'clip':
      return `clip:${clip.clip.sha256}`;
  }
}

export interface SplitItem {
  clip: ProjectClip;
  /** What the split balances: labels (per-label export) or clips (per-clip export). */
  weight: number;
}

export interface SplitPlan {
  splitOf: (clip: ProjectClip) => SplitName;
  /** The group each clip ended in, after merging groups that share a recording. */
  groupOf: (clip: ProjectClip) => string;
  groups: Record<SplitName, number>;
}

/**
 * Assigns whole groups to splits. Groups that share a recording (the same audio under two sensors,
 * say) are merged first, so no recording can sit in two splits whatever the grouping. Groups are
 * then taken in an order fixed by the seed (a hash of seed and key) and each goes to the split
 * furthest below its share: the same data and seed give the same splits, a new seed reshuffles.
 */
export function planSplits(items: readonly SplitItem[], by: SplitBy, shares: SplitShares, seed: string): SplitPlan {
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
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) return;
    if (ra < rb) parent.set(rb, ra);
    else parent.set(ra, rb);
  };
  const bySha = new Map<string, string>();
  for (const { clip } of items) {
    const key = groupKey(clip, by);
    if (!parent.has(key)) parent.set(key, key);
    const other = bySha.get(clip.clip.sha256);
    if (other === undefined) bySha.set(clip.clip.sha256, key);
    else union(key, other);
  }
  const weight = new Map<string, number>();
  for (const { clip, weight: w } of items) {
    const root = find(groupKey(clip, by));
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
  const groupOf = (clip: ProjectClip) => find(groupKey(clip, by));
  return { splitOf: (clip) => splitOfRoot.get(groupOf(clip))!, groupOf, groups };
}
