import type { Solution } from '../contract/index.ts';
import { actorName, type CallContext, type Handlers } from '../core/handlers.ts';
import { isLocalActor } from '../core/session.ts';
import { announceIncident } from '../publish/announce.ts';
import { publishChange, type PublishOutcome } from '../publish/outbox.ts';
import type { SolutionBody } from '../store/alerts.ts';
import type { Store } from '../store/store.ts';
import { UserError } from '../util/errors.ts';
import { checkShots, diffPicks, picksOfSolution, reviewerBody, solveContext, solveShot, type SolveContext } from './relocation-plan.ts';

/**
 * A reviewer's re-location: preview (solve on every drag, store nothing) and save (the picks and
 * a new solution version, audited, published as an Update when an agency has the incident).
 */

interface Prepared {
  ctx: SolveContext;
  temperatureSource: SolutionBody['temperatureSource'];
}

/**
 * What solving needs of an alert, kept per store: sensors and frame never change after import,
 * and a reviewer's version keeps the temperature of the one it started from, so dragging a pick
 * costs one solve, not a round of queries. Small, since a seat works on one alert at a time.
 */
const prepared = new WeakMap<Store, Map<number, Prepared>>();
const KEEP = 16;

function prepare(store: Store, alertId: number, defaultTemperatureC: number): Prepared {
  let cache = prepared.get(store);
  if (!cache) prepared.set(store, (cache = new Map()));
  const hit = cache.get(alertId);
  if (hit) return hit;
  const alert = store.relocations.alert(alertId);
  if (!alert) throw new UserError('not_found', `no alert ${alertId}`);
  const base = store.relocations.newestSolution(alertId);
  const temperatureC = base?.body.temperatureC ?? alert.weatherTemperatureC ?? defaultTemperatureC;
  const temperatureSource: SolutionBody['temperatureSource'] = base?.body.temperatureSource ?? (alert.weatherTemperatureC !== null ? 'weather' : 'default');
  const p = { ctx: solveContext(alert, temperatureC), temperatureSource };
  if (cache.size >= KEEP) cache.delete(cache.keys().next().value!);
  cache.set(alertId, p);
  return p;
}

/**
 * A pending alert's picks are moved by the seat that holds its claim (a local actor without one,
 * never over someone else's claim). A decided alert has no claim: any reviewer may correct it,
 * with a reason, as reviseDecision allows.
 */
function mayRelocate(ctx: CallContext, alertId: number, status: 'pending' | 'decided', notes: string, nowUs: number): void {
  if (status === 'decided') {
    if (notes === '') throw new UserError('invalid_input', `alert ${alertId} is decided: say in the notes why its location is corrected`);
    return;
  }
  const claim = ctx.core.store.claims.activeOn(alertId, nowUs);
  if (claim?.seat === ctx.session.tag || (!claim && isLocalActor(ctx.session))) return;
  throw new UserError(
    'conflict',
    claim
      ? `${claim.by} is reviewing alert ${alertId}: its picks are not yours to move`
      : `open alert ${alertId} for review first (its claim expired or was released)`,
    claim ? { claim } : undefined,
  );
}

export const relocateHandlers: Handlers<'previewRelocation' | 'relocate'> = {
  previewRelocation: ({ core }, { alertId, shots }) => {
    const { ctx } = prepare(core.store, alertId, core.config.defaultTemperatureC);
    const started = performance.now();
    const out = checkShots(shots, ctx.sensors).map((s) => solveShot(s, ctx));
    return { shots: out, solveUs: Math.round((performance.now() - started) * 1000) };
  },

  relocate: (call, input) => {
    const { store, clock, events } = call.core;
    const who = actorName(call);
    const { ctx, temperatureSource } = prepare(store, input.alertId, call.core.config.defaultTemperatureC);
    const checked = checkShots(input.shots, ctx.sensors);
    const solved = checked.map((s) => solveShot(s, ctx));
    const unsolved = solved.find((s) => s.shot === null);
    if (unsolved) throw new UserError('invalid_input', `${unsolved.problem}: nothing was saved`);

    const result = store.tx(() => {
      const now = clock.nowUs();
      const alert = store.relocations.alert(input.alertId);
      if (!alert) throw new UserError('not_found', `no alert ${input.alertId}`);
      mayRelocate(call, input.alertId, alert.status, input.notes, now);
      const base = store.relocations.newestSolution(input.alertId);
      if ((base?.version ?? null) !== input.baseVersion) {
        throw new UserError(
          'conflict',
          `alert ${input.alertId} was re-located meanwhile (now version ${base?.version ?? 'none'}, you started from ${input.baseVersion ?? 'none'}): open it again`,
        );
      }
      const basePicks = picksOfSolution(base, store.relocations.machinePulses(input.alertId), () => store.relocations.picksOf(base!.id));
      const changes = diffPicks(basePicks, checked);
      if (changes.moved.length + changes.added.length + changes.removed.length === 0) {
        throw new UserError('invalid_input', 'the picks are those of the current solution: move, add or drop one first');
      }
      const body = reviewerBody(
        base,
        solved.map((s) => s.shot!),
        ctx,
        temperatureSource,
      );
      const solution: Solution = store.alerts.addSolution(input.alertId, 'reviewer', who, now, body);
      const entity = `alert:${input.alertId}`;
      const kept = new Map(changes.unchanged.map((u) => [`${u.shotIndex}\u0000${u.to.sensorId}`, u.from]));
      const pulseIds = new Map<string, number>();
      for (const shot of checked) {
        for (const p of shot.picks) {
          const same = kept.get(`${shot.index}\u0000${p.sensorId}`);
          const id = store.relocations.insertPick(input.alertId, solution.id, {
            ...p,
            shotIndex: shot.index,
            snrDb: same?.snrDb ?? null,
            peakDbfs: same?.peakDbfs ?? null,
            peakDbSpl: same?.peakDbSpl ?? null,
          });
          pulseIds.set(`${shot.index}\u0000${p.sensorId}`, id);
        }
      }
      const pick = (action: string, payload: Record<string, unknown>) =>
        store.audit.append({ atUs: now, actor: who, action, entity, payload: { solutionVersion: solution.version, ...payload } });
      for (const m of changes.moved) {
        pick('pick.moved', {
          shotIndex: m.shotIndex,
          sensorId: m.to.sensorId,
          fromOffsetS: m.from.offsetS,
          toOffsetS: m.to.offsetS,
          fromTimeUs: m.from.timeUs,
          toTimeUs: m.to.timeUs,
          fromPulseId: m.from.id,
          pulseId: pulseIds.get(`${m.shotIndex}\u0000${m.to.sensorId}`),
        });
      }
      for (const a of changes.added) {
        pick('pick.added', {
          shotIndex: a.shotIndex,
          sensorId: a.to.sensorId,
          offsetS: a.to.offsetS,
          timeUs: a.to.timeUs,
          pulseId: pulseIds.get(`${a.shotIndex}\u0000${a.to.sensorId}`),
        });
      }
      for (const r of changes.removed) {
        pick('pick.removed', { shotIndex: r.shotIndex, sensorId: r.from.sensorId, offsetS: r.from.offsetS, timeUs: r.from.timeUs, fromPulseId: r.from.id });
      }
      store.audit.append({
        atUs: now,
        actor: who,
        action: 'solution.added',
        entity,
        payload: {
          version: solution.version,
          origin: 'reviewer',
          solution: body,
          basedOnVersion: base?.version ?? null,
          notes: input.notes,
          // Every pick the version was solved from, so audit verify can tell a pick row changed behind the log.
          picks: checked.flatMap((shot) =>
            shot.picks.map((p) => ({ pulseId: pulseIds.get(`${shot.index}\u0000${p.sensorId}`)!, shotIndex: shot.index, ...p })),
          ),
        },
      });
      // A published incident moves with its alert: the Update commits with the re-location or neither does.
      const publication: PublishOutcome | null = store.incidents.byAlert(input.alertId)
        ? publishChange(store, { alertId: input.alertId, actor: who, nowUs: now, reason: input.notes })
        : null;
      return { solution, changes, publication };
    });

    const summary = store.alerts.summary(input.alertId);
    if (summary) events.emit('alertChanged', { alert: summary });
    const pub = result.publication;
    if (pub?.incidentId != null) announceIncident(call.core, pub.incidentId, pub.deliveryIds);
    return {
      solution: result.solution,
      pickChanges: { moved: result.changes.moved.length, added: result.changes.added.length, removed: result.changes.removed.length },
      publication: pub ? { outcome: pub.outcome, incidentId: pub.incidentId, reason: pub.reason } : null,
    };
  },
};
