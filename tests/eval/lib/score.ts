/** Figures of a location evaluation, shared by the real-data and simulated evals. */

export const quantile = (xs: readonly number[], q: number): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos),
    hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
};

/** One test (alert) as scored: what was fired, and what the locator said about each shot it located. */
export interface TestScore {
  group: string;
  /** The test's own name, where it has one (FP1/test_001). */
  name?: string;
  fired: number;
  /** Shots the locator reported (may exceed fired: extra, false shots). */
  located: number;
  /**
   * Per located shot: horizontal error to the truth (and its east, north parts), whether the 95 %
   * ellipse holds it, and where the shot was reported ambiguous (both solutions of a three-sensor
   * fix), its other solution's error.
   */
  shots: ScoredShot[];
}

export interface ScoredShot {
  errorM: number;
  inEllipse: boolean;
  dx?: number;
  dy?: number;
  alternativeErrorM?: number;
  /** Where the fix's other solution was ruled out (set aside), that solution's error. */
  setAsideErrorM?: number;
}

export interface Summary {
  tests: number;
  fired: number;
  located: number;
  /** Located shots beyond the number fired. */
  extra: number;
  /** Every shot reported, and those more than NOT_A_SHOT_M from any true round: reported shots that are not shots. */
  reported: number;
  notShots: number;
  /** Shots reported ambiguous whose first solution is more than NOT_A_SHOT_M off and whose other is within it: not counted in notShots. */
  otherSolutionHeld: number;
  medianM: number;
  p90M: number;
  within15: number;
  within25: number;
  /** Rounds (of fired) with a reported shot within 25 m. */
  roundsWithin25: number;
  roundsExact: number;
  testsExact: number;
  inEllipse: number;
}

/**
 * Shots within N metres count against shots fired, at most as many per test as were fired (the
 * best ones), so an extra false shot never raises the share. The ellipse share is over located shots.
 */
export function summarise(tests: readonly TestScore[]): Summary {
  const errors: number[] = [];
  let fired = 0,
    located = 0,
    extra = 0,
    w15 = 0,
    w25 = 0,
    exact = 0,
    held = 0,
    shots = 0,
    far = 0,
    otherHeld = 0;
  for (const t of tests) {
    fired += t.fired;
    located += Math.min(t.located, t.fired);
    extra += Math.max(0, t.located - t.fired);
    if (t.located === t.fired) exact++;
    const best = [...t.shots].sort((a, b) => a.errorM - b.errorM).slice(0, t.fired);
    w15 += best.filter((s) => s.errorM <= 15).length;
    w25 += best.filter((s) => s.errorM <= 25).length;
    for (const s of t.shots) {
      errors.push(s.errorM);
      shots++;
      if (s.inEllipse) held++;
      if (isNotAShot(s)) far++;
      else if (s.errorM > NOT_A_SHOT_M) otherHeld++;
    }
  }
  const pct = (n: number, d: number) => (d ? (100 * n) / d : NaN);
  return {
    tests: tests.length,
    fired,
    located,
    extra,
    reported: shots,
    notShots: far,
    otherSolutionHeld: otherHeld,
    medianM: quantile(errors, 0.5),
    p90M: quantile(errors, 0.9),
    within15: pct(w15, fired),
    within25: pct(w25, fired),
    roundsWithin25: w25,
    roundsExact: pct(exact, tests.length),
    testsExact: exact,
    inEllipse: pct(held, shots),
  };
}

/** A reported shot this far from every true round is no shot at all (an echo, a wrong association). */
export const NOT_A_SHOT_M = 50;

/**
 * Whether a reported shot is no shot: more than NOT_A_SHOT_M from every true round, and where it
 * was reported ambiguous (a three-sensor fix, both solutions on the map inside one ellipse), its
 * other solution too. An ambiguous fix says "here or there"; when "there" is right it sent no one
 * to a wrong place only. Its error (median, within 25 m) stays its first solution's.
 */
export function isNotAShot(s: ScoredShot): boolean {
  return s.errorM > NOT_A_SHOT_M && !(s.alternativeErrorM !== undefined && s.alternativeErrorM <= NOT_A_SHOT_M);
}

/** The rule above in one line, for the evals' output. */
export const NOT_A_SHOT_RULE = `not shots: reported shots more than ${NOT_A_SHOT_M} m from every true round; a shot reported ambiguous (both solutions of a three-sensor fix) only when neither solution is within ${NOT_A_SHOT_M} m (errors and within 25 m are its first solution's)`;

export const SUMMARY_HEADER = 'group        tests  fired  located  extra  median m   p90 m  <=15 m  <=25 m  rounds ok  in ellipse';

export function summaryLine(name: string, s: Summary): string {
  const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');
  return `${name.padEnd(12)} ${String(s.tests).padStart(5)} ${String(s.fired).padStart(6)} ${String(s.located).padStart(8)} ${String(s.extra).padStart(6)} ${f(s.medianM).padStart(9)} ${f(s.p90M).padStart(7)} ${(f(s.within15) + '%').padStart(7)} ${(f(s.within25) + '%').padStart(7)} ${(f(s.roundsExact, 0) + '%').padStart(10)} ${(f(s.inEllipse) + '%').padStart(11)}`;
}

/** Whether a point lies inside an ellipse given by semi-axes and the major axis' azimuth from north. */
export function insideEllipse(dx: number, dy: number, e: { semiMajorM: number; semiMinorM: number; azimuthDeg: number } | null): boolean {
  if (!e) return false;
  const a = (e.azimuthDeg * Math.PI) / 180;
  const along = dx * Math.sin(a) + dy * Math.cos(a); // east, north onto the major axis
  const across = dx * Math.cos(a) - dy * Math.sin(a);
  return (along / e.semiMajorM) ** 2 + (across / Math.max(e.semiMinorM, 1e-9)) ** 2 <= 1;
}

/** A column of the table: a name and the summary it shows. */
export interface TableColumn {
  name: string;
  s: Summary | null;
}

/**
 * The figures the locator is judged by, one column per method, with the goal beside them:
 * rounds within 25 m, median and 90th percentile error, tests with every round and no more,
 * reported shots that are not shots (more than 50 m from every round), ellipse coverage.
 */
export function figureTable(
  columns: readonly TableColumn[],
  goals: Record<'within25' | 'median' | 'p90' | 'exact' | 'notShots' | 'ellipse', string>,
): string[] {
  const f = (v: number, d = 1) => (Number.isFinite(v) ? v.toFixed(d) : '-');
  const rows: [string, (s: Summary) => string, string][] = [
    ['rounds within 25 m', (s) => `${f(s.within25)} % (${s.roundsWithin25}/${s.fired})`, goals.within25],
    ['median error', (s) => `${f(s.medianM, 2)} m`, goals.median],
    ['90th percentile', (s) => `${f(s.p90M, 2)} m`, goals.p90],
    ['tests with rounds exact', (s) => `${f(s.roundsExact, 0)} % (${s.testsExact}/${s.tests})`, goals.exact],
    [`reported shots > ${NOT_A_SHOT_M} m off (not shots)`, (s) => `${s.notShots} of ${s.reported}`, goals.notShots],
    ['true position in 95 % ellipse', (s) => `${f(s.inEllipse)} %`, goals.ellipse],
  ];
  const width = Math.max(...columns.map((c) => c.name.length), 18);
  const head = `${'figure'.padEnd(36)}${columns.map((c) => c.name.padStart(width + 2)).join('')}${'goal'.padStart(12)}`;
  return [
    head,
    ...rows.map(([name, value, goal]) => `${name.padEnd(36)}${columns.map((c) => (c.s ? value(c.s) : '-').padStart(width + 2)).join('')}${goal.padStart(12)}`),
  ];
}
