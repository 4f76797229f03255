import type { Solution } from '../contract/index.ts';
import { actorName, type CallContext, type Handlers } from '../kernel/handlers.ts';
import { isLocalActor } from '../kernel/session.ts';
import type { SolutionBody, Store, WriteTx } from '../kernel/store-port.ts';
import { announceIncidentTx } from '../publish/announce.ts';
import type { PublishOutcome } from '../publish/outbox-plan.ts';
import { publishChangeTx } from '../publish/outbox-tx.ts';
import { UserError } from '../util/errors.ts';
import { checkShots, diffPicks, picksOfSolution, reviewerBody, solveContext, solveShot, type SolveContext } from './relocation-plan.ts';

/**
 * A reviewer's re-location on the store port: preview (solve on every drag, store nothing) and
 * save (one write: the picks and a new solution version, audited, published as an Update when an
 * agency has the incident, announced with tx.emit once after COMMIT).
 */

interface Prepared {
  ctx: SolveContext;
  temperatureSource: SolutionBody['temperatureSource'];
}

/**
 * What solving needs of an alert, kept per store port: sensors and frame never change after
 * import, and a reviewer's version keeps the temperature of the one it started from, so dragging a
 * pick costs one solve, not a read transaction. Small, since a seat works on one alert at a time.
 */
const prepared = new WeakMap<Store, Map<number, Prepared>>();
const KEEP = 16;

async function prepare(port: Store, alertId: number, defaultTemperatureC: number): Promise<Prepared> {
  let cache = prepared.get(port);
  if (!cache) prepared.set(port, (cache = new Map()));
  const hit = cache.get(alertId);
  if (hit) return hit;
  const p = await port.read(async (tx): Promise<Prepared> => {
    const alert = await tx.relocations.alert(alertId);
    if (!alert) throw new UserError('not_found', `no alert ${alertId}`);
    const base = await tx.relocations.newestSolution(alertId);
    const temperatureC = base?.body.temperatureC ?? alert.weatherTemperatureC ?? defaultTemperatureC;
    const temperatureSource: SolutionBody['temperatureSource'] = base?.body.temperatureSource ?? (alert.weatherTemperatureC !== null ? 'weather' : 'default');
    return { ctx: solveContext(alert, temperatureC), temperatureSource };
  });
  if (cache.size >= KEEP) cache.delete(cache.keys().next().value!);
  cache.set(alertId, p);
  return p;
}

/**
 * A pending alert's picks are moved by the seat that holds its claim (a local actor without one,
 * never over someone else's claim). A decided alert has no claim: any reviewer may correct it,
 * with a reason, as reviseDecision allows. Read under the alert's lock, so a claim taken on
 * another server meanwhile is seen.
 */
async function mayRelocate(tx: WriteTx, ctx: CallContext, alertId: number, status: 'pending' | 'decided', notes: string, nowUs: number): Promise<void> {
  if (status === 'decided') {
    if (notes === '') throw new UserError('invalid_input', `alert ${alertId} is decided: say in the notes why its location is corrected`);
    return;
  }
  const claim = await tx.claims.activeOn(alertId, nowUs);
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
  previewRelocation: async ({ core }, { alertId, shots }) => {
    const { ctx } = await prepare(core.storePort, alertId, core.config.defaultTemperatureC);
    const started = performance.now();
    const out = checkShots(shots, ctx.sensors).map((s) => solveShot(s, ctx));
    return { shots: out, solveUs: Math.round((performance.now() - started) * 1000) };
  },

  relocate: async (call, input) => {
    const { storePort, clock } = call.core;
    const who = actorName(call);
    const { ctx, temperatureSource } = await prepare(storePort, input.alertId, call.core.config.defaultTemperatureC);
    const checked = checkShots(input.shots, ctx.sensors);
    const solved = checked.map((s) => solveShot(s, ctx));
    const unsolved = solved.find((s) => s.shot === null);
    if (unsolved) throw new UserError('invalid_input', `${unsolved.problem}: nothing was saved`);

    // Solved before the write (CPU work never holds a transaction); the write checks the base
    // version it was solved from under the alert's lock, so two servers saving at once take turns
    // and the second is refused as re-located meanwhile.
    const result = await storePort.write(async (tx) => {
      if (!(await tx.alerts.lock(input.alertId))) throw new UserError('not_found', `no alert ${input.alertId}`);
      const now = clock.nowUs();
      const status = await tx.decisions.statusOf(input.alertId);
      if (status !== 'pending' && status !== 'decided') throw new UserError('not_found', `no alert ${input.alertId}`);
      await mayRelocate(tx, call, input.alertId, status, input.notes, now);
      const base = await tx.relocations.newestSolution(input.alertId);
      if ((base?.version ?? null) !== input.baseVersion) {
        throw new UserError(
          'conflict',
          `alert ${input.alertId} was re-located meanwhile (now version ${base?.version ?? 'none'}, you started from ${input.baseVersion ?? 'none'}): open it again`,
        );
      }
      const reviewerPicks = base?.origin === 'reviewer' ? await tx.relocations.picksOf(base.id) : [];
      const basePicks = picksOfSolution(base, await tx.relocations.machinePulses(input.alertId), () => reviewerPicks);
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
      const solution: Solution = await tx.alerts.addSolution(input.alertId, 'reviewer', who, now, body);
      const entity = `alert:${input.alertId}`;
      const kept = new Map(changes.unchanged.map((u) => [`${u.shotIndex}\u0000${u.to.sensorId}`, u.from]));
      const pulseIds = new Map<string, number>();
      for (const shot of checked) {
        for (const p of shot.picks) {
          const same = kept.get(`${shot.index}\u0000${p.sensorId}`);
          const id = await tx.relocations.insertPick(input.alertId, solution.id, {
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
        tx.audit.append({ atUs: now, actor: who, action, entity, payload: { solutionVersion: solution.version, ...payload } });
      for (const m of changes.moved) {
        await pick('pick.moved', {
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
        await pick('pick.added', {
          shotIndex: a.shotIndex,
          sensorId: a.to.sensorId,
          offsetS: a.to.offsetS,
          timeUs: a.to.timeUs,
          pulseId: pulseIds.get(`${a.shotIndex}\u0000${a.to.sensorId}`),
        });
      }
      for (const r of changes.removed) {
        await pick('pick.removed', {
          shotIndex: r.shotIndex,
          sensorId: r.from.sensorId,
          offsetS: r.from.offsetS,
          timeUs: r.from.timeUs,
          fromPulseId: r.from.id,
        });
      }
      await tx.audit.append({
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
      // A published incident moves with its alert: the Update (the reason as its note) commits with the re-location or neither does.
      const publication: PublishOutcome | null = (await tx.incidents.byAlert(input.alertId))
        ? await publishChangeTx({ tx, port: storePort }, { alertId: input.alertId, actor: who, nowUs: now, reason: input.notes })
        : null;
      const summary = await tx.alerts.summary(input.alertId);
      if (summary) tx.emit('alertChanged', { alert: summary });
      if (publication?.incidentId != null) await announceIncidentTx(tx, publication.incidentId, publication.deliveryIds, now);
      return { solution, changes, publication };
    });

    const pub = result.publication;
    return {
      solution: result.solution,
      pickChanges: { moved: result.changes.moved.length, added: result.changes.added.length, removed: result.changes.removed.length },
      publication: pub ? { outcome: pub.outcome, incidentId: pub.incidentId, reason: pub.reason } : null,
    };
  },
};
