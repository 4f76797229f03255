import type { SetAside } from './associate.ts';
import { echoOf, type EchoVerdict } from './echo.ts';
import type { Hypothesis } from './hypothesis.ts';
import { MODEL } from './model.ts';
import { dropLate, lateSensors, type LateSensor } from './nlos.ts';
import { MAX_RANGE_M, nearestSensorM } from './plausible.ts';
import { strungTogether } from './strung.ts';
import type { Geometry, Track } from './tracks.ts';

/**
 * After the search, what the physics says about what it found: candidates that are echoes of
 * located shots (echo.ts) are set aside, with those set aside while associating (images that
 * fired with their shot); sensors in a fix that heard it only round a building are dropped
 * from it; sensors a fix left out that heard it late are named (nlos.ts), with those of rounds
 * placed at their burst's spot (precursor.ts).
 */

/** A candidate set aside as the echo of a shot as finally located. */
export interface Echo {
  h: Hypothesis;
  verdict: EchoVerdict & { of: Hypothesis };
}

export function adjudicate(
  tracks: readonly Track[],
  pass: { shots: readonly Hypothesis[]; sigmaS: number; echoes: readonly SetAside[] },
  geometry: Geometry,
): { found: Hypothesis[]; late: LateSensor[][]; echoes: Echo[] } {
  const sigmaS = pass.sigmaS;
  // A fix that the search's last touches (growing, polishing, the crack passes) carried beyond
  // earshot of every sensor is no source, as the search itself would have judged it (plausible.ts).
  const heard = pass.shots.filter((h) => nearestSensorM(tracks, h.fix) <= MAX_RANGE_M);
  const setAside = setAsideEchoes(tracks, heard, { ...geometry, gateS: 3 * sigmaS }, sigmaS);
  const dropped = setAside.kept.map((h) => dropLate(tracks, h, { ...geometry, gateS: 3 * MODEL.sigmaS }));
  const found = dropped.map((d) => d.h);
  const late = found.map((h, i) => {
    const out = [...placedLate(h), ...dropped[i]!.late];
    return [...out, ...lateSensors(tracks, h, found, geometry, MODEL.sigmaS).filter((l) => !out.some((d) => d.sensor === l.sensor))];
  });
  // Each echo tied to the shot it echoes as finally located; picks a shot has since taken are its own.
  const echoes = [...pass.echoes, ...setAside.echoes]
    .map((e) => ({ h: e.h, verdict: { ...e.verdict, of: finalShot(e.verdict.of, found) } }))
    .filter((e): e is Echo => e.verdict.of !== null && !found.some((f) => f.picks.some((i, k) => i >= 0 && e.h.picks[k] === i)))
    .filter((e, i, all) => all.findIndex((x) => x.h.picks.some((p, k) => p >= 0 && e.h.picks[k] === p)) === i)
    .sort((a, b) => a.h.fix.t0 - b.h.fix.t0);
  return { found, late, echoes };
}

/**
 * The shots less those that are echoes of others. Each shot is tested against every other
 * still standing; of those found to be an echo, the least heard (fewest sensors, then the
 * weakest) is set aside first, and the test runs again until none is: a shot's echo is heard by
 * fewer sensors than the shot, or no better, and an echo's own echoes go with it.
 */
function setAsideEchoes(
  tracks: readonly Track[],
  shots: readonly Hypothesis[],
  o: Geometry & { gateS: number },
  sigmaS: number,
): { kept: Hypothesis[]; echoes: { h: Hypothesis; verdict: EchoVerdict }[] } {
  const kept = [...shots].sort((a, b) => b.support - a.support || b.score - a.score);
  const echoes: { h: Hypothesis; verdict: EchoVerdict }[] = [];
  for (;;) {
    let found: { h: Hypothesis; verdict: EchoVerdict } | null = null;
    for (let i = kept.length - 1; i >= 0 && !found; i--) {
      const verdict = echoOf(tracks, kept[i]!, kept, o, sigmaS) ?? strungTogether(tracks, kept[i]!, kept, o, sigmaS);
      if (verdict) found = { h: kept[i]!, verdict };
    }
    if (!found) break;
    kept.splice(kept.indexOf(found.h), 1);
    echoes.push(found);
  }
  return { kept: kept.sort((a, b) => a.fix.t0 - b.fix.t0), echoes: echoes.sort((a, b) => a.h.fix.t0 - b.h.fix.t0) };
}

/** A shot as finally located: the same one, or the one nearest it in time (within the rounds' least gap) that replaced it. */
function finalShot(h: Hypothesis, found: readonly Hypothesis[]): Hypothesis | null {
  if (found.includes(h)) return h;
  let best: Hypothesis | null = null;
  for (const f of found)
    if (Math.abs(f.fix.t0 - h.fix.t0) < MODEL.minRoundGapS && (!best || Math.abs(f.fix.t0 - h.fix.t0) < Math.abs(best.fix.t0 - h.fix.t0))) best = f;
  return best;
}

/** The late sensor of a round placed at its burst's spot, its pick still the round's (Hypothesis.atSpot). */
function placedLate(h: Hypothesis): LateSensor[] {
  return h.atSpot ? [{ sensor: h.atSpot.lateSensor, pick: h.picks[h.atSpot.lateSensor]!, lateS: h.atSpot.lateS }] : [];
}
