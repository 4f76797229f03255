import type { ProgrammeFigures, TransparencyReport } from '../../contract/index.ts';
import { UserError } from '../../util/errors.ts';
import { methodTexts } from './methods.ts';

/** A drawn area smaller than this many map cells is not published: its totals alone would point at a place. */
export const MIN_PUBLIC_AREA_CELLS = 16;

/**
 * The figures as they leave the building: the map's cells under k taken off (their incidents
 * stay in every total and are counted), the method beside each figure. The grid itself is
 * already coarse and fixed (see grid.ts); nothing finer than a cell is in the figures at all.
 */
export function publicReport(figures: ProgrammeFigures, o: { k: number; areaM2: number | null }): TransparencyReport {
  const cellM = figures.grid.cellM;
  if (o.areaM2 !== null && o.areaM2 < MIN_PUBLIC_AREA_CELLS * cellM * cellM) {
    throw new UserError(
      'invalid_input',
      `${figures.area.name} covers ${(o.areaM2 / 1e6).toFixed(2)} km², less than ${MIN_PUBLIC_AREA_CELLS} map cells (${((MIN_PUBLIC_AREA_CELLS * cellM * cellM) / 1e6).toFixed(2)} km²): a public report of so small an area would say where incidents were`,
    );
  }
  const { grid, ...rest } = figures;
  const shown = grid.cells.filter((c) => c.confirmed >= o.k);
  const hidden = grid.cells.filter((c) => c.confirmed < o.k);
  const period = figures.period.fromDay === figures.period.toDay ? figures.period.fromDay : `${figures.period.fromDay} to ${figures.period.toDay}`;
  return {
    figures: rest,
    map: {
      cellM,
      k: o.k,
      cells: shown,
      suppressedCells: hidden.length,
      suppressedIncidents: hidden.reduce((n, c) => n + c.confirmed, 0),
      unplacedConfirmed: grid.unplacedConfirmed,
    },
    methods: methodTexts({ timeZone: figures.period.timeZone, cellM, k: o.k, areaName: figures.area.name }),
    title: `Acoustic gunshot detection: what the alerts led to, ${period}, ${figures.area.name}`,
  };
}
