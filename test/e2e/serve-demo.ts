/**
 * Run by the Playwright global setup: starts browser mode in demo as `npm start` does, from the
 * built bundle (dist/cli/demo-app.js, built by the global setup), against a fresh temporary data
 * folder, prints one JSON line describing it (the URL with its token, the demo keys folder and
 * its index), and stays up until told to stop.
 */
import { readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createBridgeApi, tokenFromFragment } from '../../contract/bridge-client.ts';

const bundle = new URL('../../dist/cli/demo-app.js', import.meta.url).href;
const { startDemoApp } = (await import(bundle)) as typeof import('../../demo/app.ts');

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'joldama-e2e-'));
const mode = await startDemoApp({ dataDir });
// Ask the app itself where its demo keys are, as the UI does.
const url = new URL(mode.url);
const api = createBridgeApi(tokenFromFragment(url.hash) ?? '', fetch, url.origin);
const appInfo = await api['app.info']({});
const demoKeysFolder = appInfo.ok ? appInfo.value.demoKeysFolder : undefined;
if (!demoKeysFolder) throw new Error(`browser mode gave no demo keys folder: ${JSON.stringify(appInfo)}`);
const index: unknown = JSON.parse(await readFile(path.join(demoKeysFolder, 'index.json'), 'utf8'));

async function stop() {
  await mode.close().catch(() => undefined);
  await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();

process.stdout.write(`JOLDAMA_E2E ${JSON.stringify({ url: mode.url, demoKeysFolder, index })}\n`);
