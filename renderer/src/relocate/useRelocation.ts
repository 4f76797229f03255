import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AlertDetail, ContractError, RelocatedShotInput, RelocationPreview, Shot, Solution } from '../../../src/contract/index.ts';
import { useClient } from '../client/context.tsx';
import { baseDraft, draftInput, isDirty, isShotDirty, shotInput, type RelocationDraft } from './draft.ts';

/** What the reviewer's side of a shot shows: a fix from the unsaved picks, the saved reviewer version's, or none. */
export interface ReviewerFix {
  shot: Shot | null;
  /** Why the unsaved picks give no fix. */
  problem: string | null;
  source: 'draft' | 'saved';
}

export interface Relocation {
  alert: AlertDetail;
  editable: boolean;
  base: RelocationDraft;
  draft: RelocationDraft;
  setDraft(f: (d: RelocationDraft) => RelocationDraft): void;
  dirty: boolean;
  /** The shot whose picks are shown and edited. */
  shotIndex: number | null;
  setShotIndex(i: number): void;
  /** The reviewer's fix per shot index, where there is one to show. */
  reviewerFixes: ReadonlyMap<number, ReviewerFix>;
  /** Median round trip of the last previews, ms (the contract call, not only the solve). */
  previewMs: number | null;
  /** Previews answered so far: tests wait on it. */
  previews: number;
  saving: boolean;
  error: ContractError | null;
  save(notes: string): Promise<Solution | null>;
  discard(): void;
}

const ROUND_TRIPS_KEPT = 30;

/**
 * The re-location of one open alert: the draft picks, a preview of the fix from them after every
 * change (one call in flight, the newest change queued behind it, so a fast drag never piles calls
 * up), and saving. The draft starts again from the new version once one is saved.
 */
export function useRelocation(alert: AlertDetail, editable: boolean, onSaved: (s: Solution) => void): Relocation {
  const client = useClient();
  const base = useMemo(() => baseDraft(alert), [alert]);
  const [draft, setDraftState] = useState(base);
  const [shotIndex, setShotIndex] = useState<number | null>(base.shots[0]?.index ?? null);
  const [previewed, setPreviewed] = useState<ReadonlyMap<number, RelocationPreview>>(new Map());
  const [previews, setPreviews] = useState(0);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ContractError | null>(null);
  const roundTrips = useRef<number[]>([]);
  const inFlight = useRef(false);
  const queued = useRef<RelocatedShotInput[] | null>(null);

  // A new version (saved here or elsewhere) is the new starting point; a reload of the same version keeps the edits.
  const baseKey = `${alert.id}:${base.baseVersion}`;
  const [seenKey, setSeenKey] = useState(baseKey);
  if (seenKey !== baseKey) {
    setSeenKey(baseKey);
    setDraftState(base);
    setPreviewed(new Map());
    if (shotIndex === null || !base.shots.some((s) => s.index === shotIndex)) setShotIndex(base.shots[0]?.index ?? null);
  }

  const request = useCallback(
    (shots: RelocatedShotInput[]) => {
      if (inFlight.current) {
        queued.current = shots;
        return;
      }
      inFlight.current = true;
      const started = performance.now();
      void client.call('previewRelocation', { alertId: alert.id, shots }).then((r) => {
        const kept = roundTrips.current;
        kept.push(performance.now() - started);
        if (kept.length > ROUND_TRIPS_KEPT) kept.shift();
        if (r.ok) {
          setPreviewed((m) => new Map([...m, ...r.value.shots.map((s) => [s.index, s] as const)]));
          setError(null);
        } else setError(r.error);
        setPreviews((n) => n + 1);
        inFlight.current = false;
        const next = queued.current;
        queued.current = null;
        if (next) request(next);
      });
    },
    [client, alert.id],
  );

  useEffect(() => {
    const changed = draft.shots.filter((s) => isShotDirty(draft, base, s.index));
    if (changed.length) request(changed.map(shotInput));
  }, [draft, base, request]);

  const reviewerFixes = useMemo(() => {
    const out = new Map<number, ReviewerFix>();
    const newest = alert.solutions.at(-1);
    for (const s of draft.shots) {
      if (isShotDirty(draft, base, s.index)) {
        const p = previewed.get(s.index);
        out.set(s.index, { shot: p?.shot ?? null, problem: p ? p.problem : null, source: 'draft' });
      } else if (newest?.origin === 'reviewer') {
        const saved = newest.shots.find((x) => x.index === s.index) ?? null;
        if (saved) out.set(s.index, { shot: saved, problem: null, source: 'saved' });
      }
    }
    return out;
  }, [draft, base, previewed, alert.solutions]);

  const setDraft = useCallback((f: (d: RelocationDraft) => RelocationDraft) => setDraftState((d) => (editable ? f(d) : d)), [editable]);

  const save = async (notes: string): Promise<Solution | null> => {
    if (saving || !editable) return null;
    setSaving(true);
    setError(null);
    const r = await client.call('relocate', { alertId: alert.id, baseVersion: draft.baseVersion, shots: draftInput(draft), notes });
    setSaving(false);
    if (!r.ok) {
      setError(r.error);
      return null;
    }
    onSaved(r.value.solution);
    return r.value.solution;
  };

  const sorted = [...roundTrips.current].sort((a, b) => a - b);
  return {
    alert,
    editable,
    base,
    draft,
    setDraft,
    dirty: isDirty(draft, base),
    shotIndex,
    setShotIndex,
    reviewerFixes,
    previewMs: sorted.length ? sorted[Math.floor(sorted.length / 2)]! : null,
    previews,
    saving,
    error,
    save,
    discard: () => {
      setDraftState(base);
      setError(null);
      if (shotIndex !== null && !base.shots.some((s) => s.index === shotIndex)) setShotIndex(base.shots[0]?.index ?? null);
    },
  };
}
