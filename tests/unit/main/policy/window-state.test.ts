import { describe, expect, it } from 'vitest';
import { DEFAULT_SIZE, MIN_SIZE, parseWindowState, restoreWindow } from '../../../../main/policy/window-state.ts';

const laptop = { x: 0, y: 0, width: 1920, height: 1050 };
const right = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('window state', () => {
  it('reads only well-formed states', () => {
    expect(parseWindowState({ bounds: { x: 10.4, y: 20, width: 1200, height: 800 }, maximized: true })).toEqual({
      bounds: { x: 10, y: 20, width: 1200, height: 800 },
      maximized: true,
    });
    for (const raw of [
      null,
      'x',
      {},
      { bounds: null },
      { bounds: { x: 0, y: 0, width: -1, height: 5 } },
      { bounds: { x: NaN, y: 0, width: 5, height: 5 } },
      { bounds: { x: 0, y: 0, width: 1e9, height: 5 } },
      { bounds: { x: '0', y: 0, width: 5, height: 5 } },
    ]) {
      expect(parseWindowState(raw), JSON.stringify(raw)).toBeNull();
    }
  });

  it('opens at the default size, centred, the first time', () => {
    expect(restoreWindow(null, [laptop])).toEqual({ bounds: { ...DEFAULT_SIZE }, maximized: false });
  });

  it('opens where it was, on whichever screen that was', () => {
    const saved = { bounds: { x: 2100, y: 100, width: 1600, height: 1000 }, maximized: false };
    expect(restoreWindow(saved, [laptop, right])).toEqual({ bounds: saved.bounds, maximized: false });
  });

  it('comes back to the primary screen when its screen is gone (the undocked laptop)', () => {
    const saved = { bounds: { x: 2100, y: 100, width: 1600, height: 1000 }, maximized: true };
    const r = restoreWindow(saved, [laptop]);
    expect(r.bounds.x).toBeUndefined();
    expect(r.bounds).toMatchObject({ width: 1600, height: 1000 });
    expect(r.maximized).toBe(true);
  });

  it('shrinks to fit a smaller screen and pulls itself inside it', () => {
    const saved = { bounds: { x: 1780, y: 20, width: 2400, height: 1300 }, maximized: false };
    const r = restoreWindow(saved, [laptop]);
    expect(r.bounds).toEqual({ x: 0, y: 0, width: 1920, height: 1050 });
  });

  it('treats a window whose title bar is off every screen as lost', () => {
    const r = restoreWindow({ bounds: { x: 1800, y: -35, width: 1200, height: 800 }, maximized: false }, [laptop]);
    expect(r.bounds).toEqual({ width: 1200, height: 800 });
  });

  it('never goes below the minimum size unless the screen itself is smaller', () => {
    expect(restoreWindow({ bounds: { x: 0, y: 0, width: 100, height: 100 }, maximized: false }, [laptop]).bounds).toMatchObject({
      width: MIN_SIZE.width,
      height: MIN_SIZE.height,
    });
    const tiny = { x: 0, y: 0, width: 800, height: 480 };
    expect(restoreWindow(null, [tiny]).bounds).toEqual({ width: 800, height: 480 });
  });
});
