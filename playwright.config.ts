import { defineConfig } from '@playwright/test';

/** Debian's Chromium, never a downloaded browser (this workplace has no internet). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'tests/e2e',
  // Builds the renderer first when its sources are newer than dist/renderer.
  globalSetup: './tests/e2e/global-setup.ts',
  timeout: 120_000,
  workers: 1,
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    },
    viewport: { width: 1440, height: 900 },
    colorScheme: 'dark',
  },
  projects: [
    { name: 'chromium', testIgnore: /electron\.spec\.ts$/ },
    { name: 'electron', testMatch: /electron\.spec\.ts$/ },
  ],
});
