import type { LabellerAgreement } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { requireProject } from './projects.ts';

/**
 * Inter-labeller agreement per class, by event-level matching on onsets, as sound event detection
 * is scored: sed_eval's EventBasedMetrics with evaluate_offset=False (an event matches one event
 * of the same class whose onset lies within the collar) and mir_eval.onset.f_measure (one-to-one
 * matching within a window, default 50 ms). Each pair of trainers is compared over the clips both
 * worked on (each marked it done or labelled it), per clip and channel; agreement is the F-measure
 * 2M / (nA + nB), symmetric, so neither trainer is the reference.
 *
 * On a line with one window, matching sorted onsets greedily (advance the earlier one when they are
 * too far apart) is a maximum matching, so this equals the optimal (graph-based) matching those
 * tools use, in O(n log n).
 */
/** Onsets are seconds from sample counts: a difference of exactly the tolerance may come out a hair above it. */
const EPSILON_S = 1e-9;

export function matchOnsets(a: readonly number[], b: readonly number[], tolerance: number): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let matched = 0;
  while (i < x.length && j < y.length) {
    if (Math.abs(x[i]! - y[j]!) <= tolerance + EPSILON_S) {
      matched++;
      i++;
      j++;
    } else if (x[i]! < y[j]!) i++;
    else j++;
  }
  return matched;
}

export const DEFAULT_TOLERANCE_MS = 50;

interface Event {
  clipId: number;
  channel: number;
  label: string;
  onsetS: number;
}

export async function labellerAgreement(core: CoreServices, projectId: number, toleranceMs = DEFAULT_TOLERANCE_MS): Promise<LabellerAgreement> {
  // One snapshot: the labels and the states agree with each other even while trainers work.
  const { project, labels, states } = await core.storePort.read(async (tx) => {
    const project = await requireProject(tx, projectId);
    const labels = await tx.datasetLabels.list(projectId, null, {}, 10_000_000, 0);
    const states: { trainer: string; clipId: number; state: string }[] = [];
    for (const trainer of await tx.datasetProjects.clipStateTrainers(projectId))
      for (const s of await tx.datasetProjects.clipStates(projectId, trainer)) states.push({ trainer, ...s });
    return { project, labels, states };
  });
  const byTrainer = new Map<string, Event[]>();
  const worked = new Map<string, Set<number>>();
  for (const l of labels) {
    const list = byTrainer.get(l.annotator) ?? [];
    list.push({ clipId: l.clipId, channel: l.channel, label: l.label, onsetS: l.startSample / l.sampleRate });
    byTrainer.set(l.annotator, list);
    (worked.get(l.annotator) ?? worked.set(l.annotator, new Set()).get(l.annotator)!).add(l.clipId);
  }
  for (const s of states) if (s.state === 'done') (worked.get(s.trainer) ?? worked.set(s.trainer, new Set()).get(s.trainer)!).add(s.clipId);
  const trainers = [...worked.keys()].sort();
  const tolerance = toleranceMs / 1000;
  const classNames = project.classes.map((c) => c.name);
  const pairs: LabellerAgreement['pairs'] = [];
  for (let p = 0; p < trainers.length; p++) {
    for (let q = p + 1; q < trainers.length; q++) {
      const [a, b] = [trainers[p]!, trainers[q]!];
      const shared = new Set([...worked.get(a)!].filter((c) => worked.get(b)!.has(c)));
      const perClass = classNames.map((label) => {
        const key = (e: Event) => `${e.clipId}/${e.channel}`;
        const groups = new Map<string, { a: number[]; b: number[] }>();
        for (const [who, side] of [
          [a, 'a'],
          [b, 'b'],
        ] as const) {
          for (const e of byTrainer.get(who) ?? []) {
            if (e.label !== label || !shared.has(e.clipId)) continue;
            const g = groups.get(key(e)) ?? groups.set(key(e), { a: [], b: [] }).get(key(e))!;
            g[side].push(e.onsetS);
          }
        }
        let matched = 0;
        let aCount = 0;
        let bCount = 0;
        for (const g of groups.values()) {
          matched += matchOnsets(g.a, g.b, tolerance);
          aCount += g.a.length;
          bCount += g.b.length;
        }
        return { label, aCount, bCount, matched, f: aCount + bCount === 0 ? null : (2 * matched) / (aCount + bCount) };
      });
      pairs.push({ a, b, sharedClips: shared.size, classes: perClass.filter((c) => c.aCount + c.bCount > 0) });
    }
  }
  // Per class over every pair: matches and events pooled, so a pair with more shared work weighs more.
  const classes = classNames.flatMap((label) => {
    let matched = 0;
    let events = 0;
    for (const pr of pairs) {
      const c = pr.classes.find((x) => x.label === label);
      if (c) {
        matched += c.matched;
        events += c.aCount + c.bCount;
      }
    }
    return events === 0 ? [] : [{ label, matched, events, f: (2 * matched) / events }];
  });
  return { projectId, toleranceMs, trainers, pairs, classes };
}
