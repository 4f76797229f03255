import type { Page } from '@playwright/test';

/** Counts every pointer and mouse event the page receives: a keyboard-only test must end with zero. */
export async function countPointerEvents(page: Page): Promise<void> {
  await page.addInitScript(() => {
    // Runs in the page: typed loosely, the tests compile against Node's types.
    const w = globalThis as unknown as { pointerEvents: number; addEventListener(type: string, f: (e: { detail?: number }) => void, o: object): void };
    w.pointerEvents = 0;
    for (const type of ['pointerdown', 'pointerup', 'mousedown', 'mouseup', 'click', 'wheel', 'contextmenu']) {
      w.addEventListener(
        type,
        (e) => {
          // A button activated from the keyboard fires a click with detail 0 and no pointer: that one is the keyboard's.
          if (type === 'click' && e.detail === 0) return;
          w.pointerEvents++;
        },
        { capture: true },
      );
    }
  });
}

export const pointerEvents = (page: Page): Promise<number> => page.evaluate(() => (globalThis as unknown as { pointerEvents: number }).pointerEvents);
