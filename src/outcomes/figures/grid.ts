/**
 * The public map's grid: fixed on the globe, independent of any data, so a cell is the same
 * cell in every report of the same cell size and two reports never narrow a location by
 * shifting their grids. Rows are bands of `cellM` metres of latitude from the equator; each
 * row is cut into columns `cellM` metres wide at the row's middle latitude, from the meridian.
 */

/** Metres in a degree of latitude (and of longitude at the equator), as the rest of the code base uses. */
export const M_PER_DEG = 111_320;

export interface Cell {
  id: string;
  row: number;
  col: number;
  south: number;
  west: number;
  north: number;
  east: number;
}

/** Seven decimals of a degree (about 1 cm): cell edges are printed to this. */
export const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;

export const latStep = (cellM: number): number => cellM / M_PER_DEG;
export const lonStep = (cellM: number, row: number): number => cellM / (M_PER_DEG * Math.cos(((row + 0.5) * latStep(cellM) * Math.PI) / 180));

export function cellBounds(cellM: number, row: number, col: number): Cell {
  const dLat = latStep(cellM);
  const dLon = lonStep(cellM, row);
  return {
    id: `${row}_${col}`,
    row,
    col,
    south: round7(row * dLat),
    north: round7((row + 1) * dLat),
    west: round7(col * dLon),
    east: round7((col + 1) * dLon),
  };
}

export function cellOf(cellM: number, lat: number, lon: number): Cell {
  const row = Math.floor(lat / latStep(cellM));
  const col = Math.floor(lon / lonStep(cellM, row));
  return cellBounds(cellM, row, col);
}
