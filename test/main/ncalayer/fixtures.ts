/**
 * The NCALayer service for tests: the real server on a free port with a certificate in a temporary
 * folder, real demo keys, and a scripted user whose answers the test sets (auto-confirm by default).
 */
import { createHash, createPublicKey } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileSigner } from '../../../signing/keystore/file-signer.ts';
import { openKeyStore } from '../../../signing/keystore/pkcs12.ts';
import { TrustStore } from '../../../signing/trust/trust-store.ts';
import type { Signer } from '../../../signing/types.ts';
import { OriginPolicy } from '../../../main/ncalayer/origin-policy.ts';
import { NcaLayerServer, type NcaLayerLimits } from '../../../main/ncalayer/server.ts';
import { ensureLocalCertificate, type LocalCertificate } from '../../../main/ncalayer/tls.ts';
import type { ConfirmAnswer, ConfirmRequest, NcaLayerUser } from '../../../main/ncalayer/user.ts';
import { expect } from 'vitest';
import WebSocket from 'ws';
import { getDemoPki, type DemoKeyFilter, type DemoPki } from '../../helpers/demo-pki.ts';

export type Answer = ConfirmAnswer['outcome'] | { signer: Signer; remember?: boolean };

/** Answers confirm() from a queue; when it is empty, confirms with `defaultSigner`. */
export class ScriptedUser implements NcaLayerUser {
  readonly requests: ConfirmRequest[] = [];
  private readonly queue: Answer[] = [];
  tokens: string[] = [];
  constructor(public defaultSigner: Signer) {}

  answerNext(...answers: Answer[]): void {
    this.queue.push(...answers);
  }

  async confirm(request: ConfirmRequest): Promise<ConfirmAnswer> {
    this.requests.push(request);
    const answer = this.queue.shift() ?? { signer: this.defaultSigner };
    if (typeof answer === 'string') {
      if (answer === 'confirmed') return this.confirmWith(this.defaultSigner, false);
      return { outcome: answer };
    }
    return this.confirmWith(answer.signer, answer.remember ?? false);
  }

  async activeTokens(): Promise<string[]> {
    return this.tokens;
  }

  private confirmWith(signer: Signer, rememberOrigin: boolean): ConfirmAnswer {
    return { outcome: 'confirmed', rememberOrigin, withSigner: (use) => use(signer) };
  }
}

export interface Service {
  server: NcaLayerServer;
  port: number;
  url: string;
  tls: LocalCertificate;
  /** base64 SHA-256 of the certificate's public key, for Chromium's --ignore-certificate-errors-spki-list. */
  spkiHash: string;
  user: ScriptedUser;
  policy: OriginPolicy;
  pki: DemoPki;
  signer(filter: DemoKeyFilter): Promise<Signer>;
  /** The demo root and issuing CA. */
  trust: TrustStore;
  internalErrors: unknown[];
  /** Moves the origin policy's clock (refusals lapse). */
  advanceClock(ms: number): void;
  stop(): Promise<void>;
}

export async function startService(options: { limits?: Partial<NcaLayerLimits> } = {}): Promise<Service> {
  const pki = await getDemoPki();
  const dir = await mkdtemp(join(tmpdir(), 'joldama-ncalayer-'));
  const tls = await ensureLocalCertificate(dir);
  const signer = async (filter: DemoKeyFilter): Promise<Signer> => fileSigner((await openKeyStore(pki.keyPath(filter), pki.password))[0]!);
  const user = new ScriptedUser(await signer({ status: 'valid', purpose: 'SIGN', role: 'individual' }));
  let offset = 0;
  const policy = new OriginPolicy({ now: () => Date.now() + offset });
  const internalErrors: unknown[] = [];
  const server = new NcaLayerServer({
    enabled: true,
    port: 0,
    tls,
    user,
    policy,
    ...(options.limits ? { limits: options.limits } : {}),
    onInternalError: (e) => internalErrors.push(e),
  });
  const port = (await server.start())!;
  const spkiHash = createHash('sha256').update(createPublicKey(tls.cert).export({ type: 'spki', format: 'der' })).digest('base64');
  return {
    server,
    port,
    url: `wss://127.0.0.1:${port}`,
    tls,
    spkiHash,
    user,
    policy,
    pki,
    signer,
    trust: TrustStore.fromCertificates([pki.root, pki.intermediate]),
    internalErrors,
    advanceClock: (ms) => {
      offset += ms;
    },
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Client {
  socket: WebSocket;
  /** The next message, parsed (the greeting is taken on open). */
  next(): Promise<Record<string, unknown>>;
  closed: Promise<number>;
}

/** A Node WebSocket client of the service at `url` trusting `ca`; `origin: ''` sends none. */
export async function connectClient(url: string, ca: string, options: { origin: string; host?: string }): Promise<Client> {
  const headers: Record<string, string> = {};
  if (options.host) headers.host = options.host;
  const socket = new WebSocket(url, { ca, headers, ...(options.origin === '' ? {} : { origin: options.origin }) });
  const queue: string[] = [];
  const waiting: Array<(m: string) => void> = [];
  socket.on('message', (data) => {
    const text = String(data);
    const waiter = waiting.shift();
    if (waiter) waiter(text);
    else queue.push(text);
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const next = () => new Promise<string>((resolve) => (queue.length ? resolve(queue.shift()!) : waiting.push(resolve))).then((t) => JSON.parse(t) as Record<string, unknown>);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
  expect(await next()).toEqual({ result: { version: '1.2' } });
  return { socket, next, closed };
}
