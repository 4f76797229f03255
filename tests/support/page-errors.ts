import { expect, test } from '@playwright/test';

/** Playwright's `test`, failing any test whose page threw an uncaught error (listed by message). */
export const it = test.extend<{ pageErrors: string[] }>({
  pageErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await use(errors);
      expect(errors, 'errors thrown in the page').toEqual([]);
    },
    { auto: true },
  ],
});
