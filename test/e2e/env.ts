/** What the global setup hands to the specs (through one environment variable). */
import path from 'node:path';
import { z } from 'zod';

export const E2E_ENV = 'JOLDAMA_E2E';

const DemoKey = z.object({
  file: z.string(),
  owner: z.string(),
  iin: z.string(),
  purposes: z.array(z.enum(['AUTH', 'SIGN'])),
  status: z.enum(['valid', 'expired', 'revoked']),
  role: z.string(),
});

export const E2eInfo = z.object({
  url: z.string().url(),
  /** The demo portal itself (the app talks to it through the fault proxy at faultUrl). */
  portalUrl: z.string().url(),
  faultUrl: z.string().url(),
  demoKeysFolder: z.string(),
  /** The demo portal's message log: every SMS and e-mail it sends, one JSON line each. */
  notificationLog: z.string(),
  index: z.object({ password: z.string(), keys: z.array(DemoKey) }),
  /** #16: the folder the app takes for its removable media (serve-demo.ts). */
  removableMedia: z.string(),
});
export type E2eInfo = z.infer<typeof E2eInfo>;
export type DemoKey = z.infer<typeof DemoKey>;

export function e2eInfo(): E2eInfo {
  const raw = process.env[E2E_ENV];
  if (!raw) throw new Error(`${E2E_ENV} is not set: run through test/e2e/playwright.config.ts`);
  return E2eInfo.parse(JSON.parse(raw));
}

/**
 * The nth demo key with this status and purpose, with its file path and the folder holding that
 * person's keys (their AUTH and SIGN files). Specs use different people so that each first login
 * (which asks for an e-mail) happens once.
 */
export function demoKey(
  info: E2eInfo,
  want: { status: DemoKey['status']; purpose: 'AUTH' | 'SIGN'; role?: string },
  nth = 0,
) {
  const key = info.index.keys.filter(
    (k) => k.status === want.status && k.purposes.includes(want.purpose) && (want.role ? k.role === want.role : true),
  )[nth];
  if (!key) throw new Error(`no demo key #${nth} with status ${want.status} and purpose ${want.purpose}`);
  return { ...key, path: path.join(info.demoKeysFolder, key.file), folder: path.dirname(path.join(info.demoKeysFolder, key.file)) };
}
