import { defineConfig } from '@playwright/test';
import { launchOptions } from './tests/support/browser.ts';

export default defineConfig({
  testDir: 'tests/e2e',
  // Builds the renderer first when its sources are newer than dist/renderer.
  globalSetup: './tests/e2e/global-setup.ts',
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  use: {
    // A browser found on the machine, or the one inside @sparticuz/chromium: never a download.
    launchOptions: launchOptions(['--autoplay-policy=no-user-gesture-required']),
    viewport: { width: 1440, height: 900 },
    colorScheme: 'dark',
  },
  projects: [
    { name: 'chromium', testIgnore: /electron\.spec\.ts$/ },
    { name: 'electron', testMatch: /electron\.spec\.ts$/ },
  ],
});
