/**
 * Run by the Playwright global setup and by specs that need an app of their own: the demo portal
 * (from source, so its clock can be moved), a fault proxy in front of it (fault-proxy.ts), and the
 * app as `npm start` runs it (the built dist/cli/demo-app.js, built by the global setup) talking to
 * the portal through the proxy. Prints one JSON line describing it (the URL with its token, the
 * portal's and the proxy's addresses, the demo keys folder and its index), and stays up until
 * told to stop. The folder `removableMedia` (in the data folder) counts as the removable media for
 * this app: a spec copies a key there and removes it (the real app asks the OS, removable-media.ts).
 * Main looks for news in the applicant's feed every 2 s (the app: 30 s).
 *   --data-dir <dir>  keep the portal's and the app's data there (a later run continues it);
 *                     default: a temporary folder, removed at the end
 *   --clock <iso>     the portal's clock starts at this instant
 *   --kiosk           the app runs under a kiosk policy (languages kk and ru, idle timeout 60 s,
 *                     key files from removable media only: the folder `removableMedia`)
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createBridgeApi, tokenFromFragment } from '../../contract/bridge-client.ts';
import { demoNotificationLog, demoPkiFolder, startDemoPortal } from '../../demo/portal/start.ts';
import { startFaultProxy } from './fault-proxy.ts';

const bundle = new URL('../../dist/cli/demo-app.js', import.meta.url).href;
const { startDemoApp } = (await import(bundle)) as typeof import('../../demo/app.ts');

const { values } = parseArgs({
  options: { 'data-dir': { type: 'string' }, clock: { type: 'string' }, kiosk: { type: 'boolean' } },
});
/** Main looks for news in the applicant's feed this often (30 s in the app): a spec sees news arrive in seconds. */
const WATCH_MS = 2_000;
const given = values['data-dir'];
const dataDir = given ?? (await mkdtemp(path.join(os.tmpdir(), 'joldama-e2e-')));
const portalDir = path.join(dataDir, 'portal');

// The app talks to the portal through the proxy, so the portal's public origin is the proxy's.
let portalUrl = '';
const proxy = await startFaultProxy(() => portalUrl);
const portal = await startDemoPortal({ port: 0, dataDir: portalDir, log: false, origin: proxy.url, ...(values.clock ? { clock: values.clock } : {}) });
portalUrl = portal.url;
const policyPath = values.kiosk ? path.join(dataDir, 'policy.json') : null;
if (policyPath) {
  const policy = { kiosk: true, settings: { portalUrl: proxy.url }, languages: ['kk', 'ru'], idleTimeoutSeconds: 60, removableMediaOnly: true };
  await writeFile(policyPath, JSON.stringify(policy));
}
const removableMedia = path.join(dataDir, 'removable-media');
await mkdir(removableMedia, { recursive: true });
// The NCALayer service (when a spec turns it on) on a free port: never the real 13579.
const app = await startDemoApp({ portalUrl: proxy.url, demoKeysFolder: demoPkiFolder(portalDir), dataDir, policyPath, ncalayerPort: 0, removableRoots: [removableMedia], watchIntervalMs: WATCH_MS });
// Ask the app itself where its demo keys are, as the UI does.
const url = new URL(app.url);
const api = createBridgeApi(tokenFromFragment(url.hash) ?? '', fetch, url.origin);
const appInfo = await api['app.info']({});
const demoKeysFolder = appInfo.ok ? appInfo.value.demoKeysFolder : undefined;
if (!demoKeysFolder) throw new Error(`browser mode gave no demo keys folder: ${JSON.stringify(appInfo)}`);
const index: unknown = JSON.parse(await readFile(path.join(demoKeysFolder, 'index.json'), 'utf8'));

async function stop() {
  await app.close().catch(() => undefined);
  await proxy.close().catch(() => undefined);
  await portal.close().catch(() => undefined);
  if (!given) await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.resume();

process.stdout.write(`JOLDAMA_E2E ${JSON.stringify({ url: app.url, portalUrl: portal.url, faultUrl: proxy.url, demoKeysFolder, notificationLog: demoNotificationLog(portalDir), index, removableMedia })}\n`);
