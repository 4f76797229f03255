import type { Shot } from '../../../src/contract/index.ts';

/** One side of the machine-versus-reviewer table. */
export interface FixFigures {
  residualRmsMs: number | null;
  sensorsUsed: string[];
  ellipse95: Shot['ellipse95'];
}

export interface FixComparison {
  machine: FixFigures | null;
  reviewer: FixFigures | null;
  /** How far the reviewer's fix is from the machine's, metres in the alert's local frame. */
  shiftM: number | null;
  /** Sensors the reviewer uses that the machine did not, and the other way round. */
  addedSensors: string[];
  droppedSensors: string[];
}

const figures = (s: Shot): FixFigures => ({ residualRmsMs: s.residualRmsMs, sensorsUsed: [...s.sensorsUsed].sort(), ellipse95: s.ellipse95 });

/** The figures a reviewer weighs before saving: where the fix went, how well the picks agree, which sensors carry it. */
export function compareFixes(machine: Shot | null, reviewer: Shot | null): FixComparison {
  const m = machine ? figures(machine) : null;
  const r = reviewer ? figures(reviewer) : null;
  return {
    machine: m,
    reviewer: r,
    shiftM: machine && reviewer ? Math.hypot(reviewer.local.x - machine.local.x, reviewer.local.y - machine.local.y) : null,
    addedSensors: r ? r.sensorsUsed.filter((id) => !m?.sensorsUsed.includes(id)) : [],
    droppedSensors: m && r ? m.sensorsUsed.filter((id) => !r.sensorsUsed.includes(id)) : [],
  };
}

/** A time offset of a pick for display: "+3.21 ms", "−0.06 ms". */
export function formatShiftMs(ms: number): string {
  const sign = ms > 0 ? '+' : ms < 0 ? '\u2212' : '';
  return `${sign}${Math.abs(ms).toFixed(2)} ms`;
}
