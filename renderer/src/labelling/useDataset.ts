import { useCallback, useEffect, useRef, useState } from 'react';
import type { ContractError, DatasetJob, EventPayload, Label, Project, ProjectClip, Result } from '../../../src/contract/index.ts';
import { useSeat } from '../seat/SeatContext.tsx';

type Changed = EventPayload<'datasetChanged'>;

/**
 * Something read from the core and read again when a datasetChanged event says it moved (by this
 * seat, another seat or an import). Bursts of events (a trainer labelling fast) read it once.
 */
function useReloaded<T>(key: string | null, load: () => Promise<Result<T>>, affects: (e: Changed) => boolean, delayMs = 150) {
  const { client, generation } = useSeat();
  // Kept with the key it was read for: another key's value (the last project's clips) is never shown.
  const [held, setHeld] = useState<{ key: string; value: T } | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const affectsRef = useRef(affects);
  affectsRef.current = affects;
  // Answers may come back out of order: only the latest request's answer is kept.
  const ticket = useRef(0);

  const keyRef = useRef(key);
  keyRef.current = key;

  const reload = useCallback(async () => {
    const f = loadRef.current;
    if (keyRef.current === null) return;
    const mine = ++ticket.current;
    const forKey = keyRef.current;
    const r = await f();
    if (mine !== ticket.current) return;
    if (r.ok) {
      setHeld({ key: forKey, value: r.value });
      setError(null);
    } else setError(r.error);
  }, []);

  useEffect(() => {
    setError(null);
    void reload();
  }, [reload, key, generation]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const off = client.on('datasetChanged', (e) => {
      if (keyRef.current === null || !affectsRef.current(e) || timer) return;
      timer = setTimeout(() => {
        timer = null;
        void reload();
      }, delayMs);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [client, reload, delayMs]);

  const value = held !== null && held.key === key ? held.value : null;
  /** Changes the value held for the current key (this seat's own writes, before the event's reload). */
  const setValue = useCallback((f: (v: T | null) => T | null) => {
    setHeld((h) => {
      const k = keyRef.current;
      if (k === null) return h;
      const next = f(h !== null && h.key === k ? h.value : null);
      return next === null ? null : { key: k, value: next };
    });
  }, []);
  return { value, error, reload, setValue };
}

export function useProjects() {
  const { client } = useSeat();
  const r = useReloaded(
    'projects',
    () => client.call('listProjects', {}),
    () => true,
  );
  return { projects: r.value?.projects ?? null, error: r.error, reload: r.reload };
}

export function useProjectClips(projectId: number | null) {
  const { client } = useSeat();
  const r = useReloaded(
    projectId === null ? null : `clips:${projectId}`,
    () => client.call('listProjectClips', { projectId: projectId!, limit: 10_000 }),
    (e) => e.projectId === projectId && (e.what === 'clips' || e.what === 'labels'),
    400,
  );
  return { clips: r.value?.clips ?? null, total: r.value?.total ?? 0, error: r.error, reload: r.reload };
}

/** The labels of one clip, kept in start order, with this seat's own changes applied at once. */
export function useClipLabels(projectId: number, clipId: number) {
  const { client } = useSeat();
  const r = useReloaded(
    `labels:${projectId}:${clipId}`,
    () => client.call('listLabels', { projectId, clipId, limit: 100_000 }),
    (e) => e.projectId === projectId && e.what !== 'clips' && (e.clipIds.length === 0 || e.clipIds.includes(clipId)),
  );
  const { setValue } = r;
  /** Puts a label this seat just wrote in place (the event's reload confirms it). */
  const put = useCallback(
    (label: Label) =>
      setValue((v) => {
        const rest = (v?.labels ?? []).filter((l) => l.id !== label.id);
        const labels = [...rest, label].sort((a, b) => a.startSample - b.startSample || a.id - b.id);
        return { labels, total: labels.length };
      }),
    [setValue],
  );
  const drop = useCallback((id: number) => setValue((v) => (v ? { labels: v.labels.filter((l) => l.id !== id), total: v.total - 1 } : v)), [setValue]);
  return { labels: r.value?.labels ?? null, error: r.error, reload: r.reload, put, drop };
}

const finished = (j: DatasetJob) => j.state !== 'running';

/**
 * One import or export job at a time: started by a call that answers its id, followed by its
 * datasetJobProgress events (and read once, in case it moved before the events were listened to).
 */
export function useDatasetJob() {
  const { client } = useSeat();
  const [job, setJob] = useState<DatasetJob | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const id = useRef<string | null>(null);
  const merge = useCallback((next: DatasetJob) => setJob((prev) => (prev && prev.id === next.id && finished(prev) ? prev : next)), []);

  useEffect(() => client.on('datasetJobProgress', ({ job: j }) => j.id === id.current && merge(j)), [client, merge]);

  const start = useCallback(
    async (call: () => Promise<Result<{ jobId: string }>>) => {
      setError(null);
      setJob(null);
      const r = await call();
      if (!r.ok) {
        setError(r.error);
        return;
      }
      id.current = r.value.jobId;
      const g = await client.call('getDatasetJob', { jobId: r.value.jobId });
      if (g.ok) merge(g.value);
    },
    [client, merge],
  );
  const cancel = useCallback(async () => {
    if (!id.current) return;
    const r = await client.call('cancelDatasetJob', { jobId: id.current });
    if (!r.ok) setError(r.error);
  }, [client]);
  const clear = useCallback(() => {
    id.current = null;
    setJob(null);
    setError(null);
  }, []);
  return { job, error, start, cancel, clear, running: job !== null && !finished(job) };
}

export type { Project, ProjectClip };
