import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContractError, Label, ProjectClip } from '../../../src/contract/index.ts';
import { useSeat } from '../seat/SeatContext.tsx';

/** What a label is made of, as the core takes it. */
export interface Geometry {
  classId: number;
  channel: number;
  startSample: number;
  endSample: number;
  lowHz: number | null;
  highHz: number | null;
}

type UndoStep = { kind: 'created'; id: number } | { kind: 'updated'; before: Label } | { kind: 'deleted'; before: Label };

const geometryOf = (l: Label): Geometry => ({
  classId: l.classId,
  channel: l.channel,
  startSample: l.startSample,
  endSample: l.endSample,
  lowHz: l.lowHz,
  highHz: l.highHz,
});

interface Options {
  clip: ProjectClip;
  labels: readonly Label[] | null;
  put(label: Label): void;
  drop(id: number): void;
  reload(): Promise<void>;
  onError(error: ContractError): void;
}

/**
 * Creating, changing and deleting the labels of one clip, one call at a time: keys pressed faster
 * than the core answers are applied in order, each to the label as the previous answer left it
 * (its version), so quick nudges never conflict with each other. Another seat's change does
 * conflict, and the clip's labels are read again. Every change can be undone, latest first, and
 * what was undone redone.
 */
export function useLabelEditing({ clip, labels, put, drop, reload, onError }: Options) {
  const { client } = useSeat();
  const latest = useRef(new Map<number, Label>());
  const chain = useRef<Promise<void>>(Promise.resolve());
  const undoStack = useRef<UndoStep[]>([]);
  // What undo took back, latest last; any new change clears it, as in every editor.
  const redoStack = useRef<UndoStep[]>([]);
  const [depth, setDepth] = useState({ undo: 0, redo: 0 });
  const sync = () => setDepth({ undo: undoStack.current.length, redo: redoStack.current.length });
  const [busy, setBusy] = useState(0);

  // What the core said last about each label: a reload may not be newer than an answer just received.
  useEffect(() => {
    const next = new Map<number, Label>();
    for (const l of labels ?? []) {
      const known = latest.current.get(l.id);
      next.set(l.id, known && known.version > l.version ? known : l);
    }
    latest.current = next;
  }, [labels]);

  const enqueue = useCallback((op: () => Promise<void>) => {
    setBusy((b) => b + 1);
    const run = chain.current.then(op).finally(() => setBusy((b) => b - 1));
    chain.current = run.catch(() => undefined);
    return run;
  }, []);

  const fail = useCallback(
    (error: ContractError) => {
      onError(error);
      if (error.code === 'conflict' || error.code === 'not_found') void reload();
    },
    [onError, reload],
  );
  const keep = useCallback(
    (l: Label) => {
      latest.current.set(l.id, l);
      put(l);
    },
    [put],
  );
  const remember = (step: UndoStep) => {
    undoStack.current.push(step);
    if (undoStack.current.length > 200) undoStack.current.shift();
    redoStack.current = [];
    sync();
  };

  const create = useCallback(
    (g: Geometry) =>
      enqueue(async () => {
        const r = await client.call('createLabel', { clipId: clip.id, ...g });
        if (!r.ok) return fail(r.error);
        keep(r.value);
        remember({ kind: 'created', id: r.value.id });
      }),
    [client, clip.id, enqueue, fail, keep],
  );

  /** Changes a label from what it is when the call's turn comes; `change` returns null to leave it. */
  const update = useCallback(
    (id: number, change: (l: Label) => Partial<Geometry> | null) =>
      enqueue(async () => {
        const before = latest.current.get(id);
        if (!before) return;
        const c = change(before);
        if (!c) return;
        const r = await client.call('updateLabel', { id, expectedVersion: before.version, ...c });
        if (!r.ok) return fail(r.error);
        keep(r.value);
        remember({ kind: 'updated', before });
      }),
    [client, enqueue, fail, keep],
  );

  const remove = useCallback(
    (id: number) =>
      enqueue(async () => {
        const before = latest.current.get(id);
        if (!before) return;
        const r = await client.call('deleteLabel', { id, expectedVersion: before.version });
        if (!r.ok) return fail(r.error);
        latest.current.delete(id);
        drop(id);
        remember({ kind: 'deleted', before });
      }),
    [client, enqueue, fail, drop],
  );

  /**
   * Applies a step of history (a change to take back) and returns the step that takes it back in
   * turn, or null when the core refused it: undo moves a step to the redo stack this way, redo back.
   */
  const apply = useCallback(
    async (step: UndoStep): Promise<{ what: string; labelId: number | null; inverse: UndoStep } | null> => {
      if (step.kind === 'created') {
        const l = latest.current.get(step.id);
        const r = await client.call('deleteLabel', { id: step.id, ...(l ? { expectedVersion: l.version } : {}) });
        if (!r.ok) return (fail(r.error), null);
        latest.current.delete(step.id);
        drop(step.id);
        return l ? { what: 'the label removed', labelId: null, inverse: { kind: 'deleted', before: l } } : null;
      }
      if (step.kind === 'updated') {
        const now = latest.current.get(step.before.id);
        const r = await client.call('updateLabel', { id: step.before.id, ...(now ? { expectedVersion: now.version } : {}), ...geometryOf(step.before) });
        if (!r.ok) return (fail(r.error), null);
        keep(r.value);
        return now ? { what: 'the change put back', labelId: r.value.id, inverse: { kind: 'updated', before: now } } : null;
      }
      const r = await client.call('createLabel', { clipId: step.before.clipId, ...geometryOf(step.before) });
      if (!r.ok) return (fail(r.error), null);
      keep(r.value);
      return { what: 'the label restored', labelId: r.value.id, inverse: { kind: 'created', id: r.value.id } };
    },
    [client, fail, keep, drop],
  );

  /** Moves the latest step of one stack to the other; resolves to what it did (for the notice) and the label it left in place, or null. */
  const travel = useCallback(
    (from: typeof undoStack, to: typeof undoStack) =>
      new Promise<{ what: string; labelId: number | null } | null>((resolve) => {
        void enqueue(async () => {
          const step = from.current.pop();
          if (!step) return (sync(), resolve(null));
          const done = await apply(step);
          if (done) to.current.push(done.inverse);
          sync();
          resolve(done && { what: done.what, labelId: done.labelId });
        });
      }),
    [enqueue, apply],
  );
  const undo = useCallback(() => travel(undoStack, redoStack), [travel]);
  const redo = useCallback(() => travel(redoStack, undoStack), [travel]);

  return { create, update, remove, undo, redo, canUndo: depth.undo > 0, canRedo: depth.redo > 0, busy: busy > 0 };
}
