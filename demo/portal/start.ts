/**
 * The demo portal: the reference portal (portal/server/start.ts) extended with the demo PKI
 * (generated once into <data folder>/demo-pki and trusted), the demo CA's OCSP responder, CRL and
 * certificate served by the portal itself, demo data on first start, and messages written to
 * <data folder>/notifications.log instead of leaving the machine. Used by `joldama portal --demo`,
 * browser mode's demo launcher and the tests.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SupportContacts } from '../../protocol/portal-api.ts';
import { fileSender } from '../../portal/notifications/senders.ts';
import { outboxNotificationSink } from '../../portal/notifications/outbox-sink.ts';
import { startPortal, type PortalExtension, type RunningPortal, type StartPortalOptions } from '../../portal/server/start.ts';
import { demoPkiIndexSchema, generateDemoPki } from '../pki/generate.ts';
import { loadDemoOcspResponder } from '../pki/ocsp-responder.ts';
import { demoPkiRoutes } from './routes.ts';
import { seedDemo } from './seed.ts';
import { seedDemoCommissions } from './pmpk-seed.ts';

/** Where the demo portal keeps its PKI inside its data folder (the keys a demo user picks). */
export const demoPkiFolder = (dataDir: string): string => join(dataDir, 'demo-pki');
/** The demo's message log inside the data folder (SMS and e-mail texts, one JSON line each). */
export const demoNotificationLog = (dataDir: string): string => join(dataDir, 'notifications.log');

/**
 * The demo's support contacts: the kinds a city portal shows in its header (call centre, support
 * e-mail, the education department's phones), with invented numbers and a reserved domain so that
 * nobody calls a real office about a demo.
 */
export const DEMO_SUPPORT_CONTACTS: SupportContacts = {
  callCentre: ['1400', '+7 727 000-00-10'],
  email: 'support@joldama.example',
  educationDepartment: ['+7 727 000-00-20', '+7 727 000-00-21'],
};

export type StartDemoPortalOptions = Omit<StartPortalOptions, 'extend'>;

export async function startDemoPortal(options: StartDemoPortalOptions = {}): Promise<RunningPortal> {
  return startPortal({
    ...options,
    extend: async ({ url, dataDir, now }): Promise<PortalExtension> => {
      const pkiDir = demoPkiFolder(dataDir);
      if (!existsSync(join(pkiDir, 'index.json'))) {
        await mkdir(pkiDir, { recursive: true });
        await generateDemoPki(pkiDir, { ocspUrl: `${url}/ocsp`, crlUrl: `${url}/crl/demo-ca.crl`, caIssuersUrl: `${url}/ca/demo-ca.pem` });
      }
      const index = demoPkiIndexSchema.parse(JSON.parse(await readFile(join(pkiDir, 'index.json'), 'utf8')));
      return {
        trust: [join(pkiDir, index.ca.root), join(pkiDir, index.ca.intermediate)],
        // The demo certificates name the port they were generated for; on another port the portal answers OCSP itself.
        ocspUrl: `${url}/ocsp`,
        routes: demoPkiRoutes(pkiDir, index, await loadDemoOcspResponder(pkiDir, now)),
        // Demo data on first start only (seedDemo leaves a database with kindergartens alone).
        seed: async (db, at) => {
          await seedDemo(db, { now: at, notifications: outboxNotificationSink });
          await seedDemoCommissions(db);
        },
        support: DEMO_SUPPORT_CONTACTS,
        sender: (log) => fileSender(demoNotificationLog(dataDir), (line) => log('demo notification', JSON.parse(line) as unknown)),
      };
    },
  });
}
