/**
 * End-to-end tests: the built renderer in Debian's Chromium, through browser mode against the
 * demo portal. One worker (2 shared cores); screenshots of each screen go to
 * test-results/screenshots/<lang>/<screen>.png.
 * Files run in name order against one app instance: 1-login and 2-languages each sign in demo
 * people for the first time (the e-mail form); 3-keyboard copes with either case.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../test-results/playwright',
  globalSetup: './global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 900 },
    locale: 'kk-KZ',
    timezoneId: 'Asia/Almaty',
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
        '--disable-quic',
      ],
    },
  },
});
