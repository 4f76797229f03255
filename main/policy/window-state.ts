export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Rect;
  maximized: boolean;
}

export const WINDOW_STATE_KEY = 'shell.window';
export const MIN_SIZE = { width: 960, height: 600 } as const;
export const DEFAULT_SIZE = { width: 1440, height: 900 } as const;
/** How much of the title bar must stay on a screen for the window to be grabbed and moved. */
const GRIP = { width: 120, height: 40 } as const;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e6;

/** A stored state, or null if what the settings hold is not one (old format, hand-edited, hostile). */
export function parseWindowState(raw: unknown): WindowState | null {
  if (!raw || typeof raw !== 'object') return null;
  const { bounds, maximized } = raw as { bounds?: Partial<Rect>; maximized?: unknown };
  if (!bounds || typeof bounds !== 'object') return null;
  const { x, y, width, height } = bounds;
  if (!finite(x) || !finite(y) || !finite(width) || !finite(height) || width <= 0 || height <= 0) return null;
  return { bounds: { x: Math.round(x), y: Math.round(y), width: Math.round(width), height: Math.round(height) }, maximized: maximized === true };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/**
 * Where to open the window: where it was, if its title bar is still on one of today's screens
 * (a laptop undocked from its second monitor must not open a window nobody can see), sized to
 * fit that screen; otherwise centred on the primary screen. Without x and y, Electron centres it.
 */
export function restoreWindow(
  saved: WindowState | null,
  workAreas: readonly Rect[],
): { bounds: Partial<Rect> & { width: number; height: number }; maximized: boolean } {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  const fit = (size: { width: number; height: number }, area: Rect) => ({
    width: Math.max(Math.min(MIN_SIZE.width, area.width), Math.min(size.width, area.width)),
    height: Math.max(Math.min(MIN_SIZE.height, area.height), Math.min(size.height, area.height)),
  });
  if (!saved) return { bounds: fit(DEFAULT_SIZE, primary), maximized: false };
  const titleBar: Rect = { x: saved.bounds.x, y: saved.bounds.y, width: saved.bounds.width, height: GRIP.height };
  const home = workAreas.find((a) => {
    const o = overlap(titleBar, a);
    return o.width >= Math.min(GRIP.width, saved.bounds.width) && o.height >= Math.min(GRIP.height, saved.bounds.height);
  });
  if (!home) return { bounds: fit(saved.bounds, primary), maximized: saved.maximized };
  const size = fit(saved.bounds, home);
  // Pull it fully inside its screen where it fits.
  const x = Math.min(Math.max(saved.bounds.x, home.x), home.x + home.width - size.width);
  const y = Math.min(Math.max(saved.bounds.y, home.y), home.y + home.height - size.height);
  return { bounds: { x, y, ...size }, maximized: saved.maximized };
}
