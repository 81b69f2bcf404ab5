/**
 * End-to-end tests: the built renderer in Debian's Chromium, through browser mode against the
 * demo portal. One worker (2 shared cores); screenshots of each screen go to
 * test-results/screenshots/<lang>/<screen>.png.
 * Files run in name order against one app instance: 1-login and 2-languages each sign in demo
 * people for the first time (the e-mail form); 3-keyboard copes with either case.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

const results = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test-results');

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: path.join(results, 'playwright'),
  globalSetup: './global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  // Each screen is captured at two sizes and checked with axe-core: a minute was too short on a busy machine.
  timeout: 120_000,
  expect: { timeout: 15_000 },
  // list for people; json for scripts/test-all.mjs's summary.
  reporter: [['list'], ['json', { outputFile: path.join(results, 'playwright.json') }]],
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
