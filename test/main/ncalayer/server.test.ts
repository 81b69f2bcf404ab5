/**
 * The NCALayer server's transport rules, from a Node WebSocket client: off by default, Host and
 * Origin checks, size, rate, connection and one-at-a-time limits, the dialog's abort signal,
 * internal errors kept out of replies, and a 10 MB document through the socket.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { verifyCms } from '../../../signing/cms/verify.ts';
import { OriginPolicy } from '../../../main/ncalayer/origin-policy.ts';
import { NcaLayerServer } from '../../../main/ncalayer/server.ts';
import type { ConfirmAnswer, ConfirmRequest } from '../../../main/ncalayer/user.ts';
import { connectClient, startService, type Client, type Service } from './fixtures.ts';

const ORIGIN = 'https://portal.test';
const SIGN_XML = (uuid?: string) =>
  JSON.stringify({ module: 'kz.gov.pki.knca.commonUtils', method: 'signXml', args: ['PKCS12', 'SIGNATURE', '<a>1</a>', '', ''], ...(uuid ? { uuid } : {}) });

let service: Service | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

async function connect(s: Service, options: { origin?: string; host?: string } = {}): Promise<Client> {
  return connectClient(s.url, s.tls.cert, { origin: ORIGIN, ...options });
}

/** A user whose dialog stays open until the test answers it. */
function holdDialog(s: Service): { opened: Promise<ConfirmRequest>; answer(a: ConfirmAnswer): void } {
  let answer!: (a: ConfirmAnswer) => void;
  let opened!: (r: ConfirmRequest) => void;
  const openedPromise = new Promise<ConfirmRequest>((resolve) => (opened = resolve));
  s.user.confirm = (request) => {
    opened(request);
    return new Promise((resolve) => (answer = resolve));
  };
  return { opened: openedPromise, answer: (a) => answer(a) };
}

describe('NcaLayerServer', () => {
  it('listens on nothing unless enabled', async () => {
    const free = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const user = { confirm: async () => ({ outcome: 'cancelled' }) as const, activeTokens: async () => [] };
    const server = new NcaLayerServer({ tls: { cert: '', key: '' }, user, policy: new OriginPolicy(), port: free });
    expect(await server.start()).toBeUndefined();
    const refused = await new Promise<string>((resolve) => {
      const socket = new WebSocket(`wss://127.0.0.1:${free}`);
      socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? String(e)));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it('refuses a Host other than 127.0.0.1 or localhost (DNS rebinding) and a client without Origin', async () => {
    service = await startService();
    await expect(connect(service, { host: `evil.example:${service.port}` })).rejects.toThrow('HTTP 403');
    await expect(connect(service, { origin: '' })).rejects.toThrow('HTTP 403');
    const local = await connect(service, { host: `localhost:${service.port}` });
    local.socket.close();
  });

  it('answers a page that is not https with ORIGIN_NOT_SECURE', async () => {
    service = await startService();
    const client = await connect(service, { origin: 'http://portal.test' });
    client.socket.send(SIGN_XML());
    expect(await client.next()).toEqual({ code: '500', message: expect.stringMatching(/^ORIGIN_NOT_SECURE: .*https/) });
    expect(service.user.requests).toEqual([]);
  });

  it('closes a connection that sends a message over the size limit', async () => {
    service = await startService({ limits: { maxMessageBytes: 1024 } });
    const client = await connect(service);
    client.socket.send(JSON.stringify({ module: 'kz.gov.pki.knca.commonUtils', method: 'signXml', args: ['PKCS12', 'SIGNATURE', `<a>${'x'.repeat(2048)}</a>`] }));
    expect(await client.closed).toBe(1009);
  });

  it('answers RATE_LIMITED and closes when a connection sends faster than the limit', async () => {
    service = await startService({ limits: { burst: 3, perSecond: 0.01 } });
    const client = await connect(service);
    for (let i = 0; i < 4; i++) client.socket.send('--heartbeat--');
    const replies: string[] = [];
    client.socket.on('message', (m) => replies.push(String(m)));
    expect(await client.closed).toBe(1008);
    expect(replies.at(-1)).toMatch(/"code":"RATE_LIMITED"/);
  });

  it('refuses connections over the limit', async () => {
    service = await startService({ limits: { maxConnections: 1 } });
    const first = await connect(service);
    await expect(connect(service)).rejects.toThrow('HTTP 503');
    first.socket.close();
  });

  it('one request at a time per connection, one dialog at a time overall; closing aborts the dialog', async () => {
    service = await startService();
    const dialog = holdDialog(service);
    const a = await connect(service);
    const b = await connect(service);
    a.socket.send(SIGN_XML('1'));
    const request = await dialog.opened;
    a.socket.send(SIGN_XML('2'));
    expect(await a.next()).toMatchObject({ code: '500', message: expect.stringMatching(/^BUSY: /), uuid: '2' });
    b.socket.send(SIGN_XML('3'));
    expect(await b.next()).toMatchObject({ code: '500', message: expect.stringMatching(/^BUSY: .*already showing/), uuid: '3' });
    expect(request.signal.aborted).toBe(false);
    a.socket.close();
    await a.closed;
    await expect.poll(() => request.signal.aborted).toBe(true);
    dialog.answer({ outcome: 'cancelled' });
    // The dialog is free again for the other page.
    service.user.confirm = async () => ({ outcome: 'cancelled' });
    b.socket.send(SIGN_XML('4'));
    expect(await b.next()).toEqual({ code: '500', message: 'action.canceled', uuid: '4' });
  });

  it('a bug becomes INTERNAL_ERROR without its message, and is reported', async () => {
    service = await startService();
    service.user.confirm = async () => {
      throw new Error('secret detail at /home/user/key.p12');
    };
    const client = await connect(service);
    client.socket.send(SIGN_XML());
    const reply = await client.next();
    expect(reply).toEqual({ code: '500', message: 'INTERNAL_ERROR: Joldama could not complete the request.' });
    expect(service.internalErrors).toHaveLength(1);
  });

  it('signs a 10 MB document attached through the socket (basics cms)', async () => {
    service = await startService();
    const document = Buffer.alloc(10 * 1024 * 1024, 0x41);
    const client = await connect(service);
    client.socket.send(
      JSON.stringify({
        module: 'kz.gov.pki.knca.basics',
        method: 'sign',
        args: { format: 'cms', data: document.toString('base64'), signingParams: { decode: true, encapsulate: true }, signerParams: { extKeyUsageOids: [] } },
      }),
    );
    const reply = (await client.next()) as { status: boolean; body: { result: string } };
    expect(reply.status).toBe(true);
    const verification = verifyCms(reply.body.result);
    expect(verification.valid).toBe(true);
    expect(verification.content?.equals(document)).toBe(true);
    expect(service.user.requests[0]!.documents).toEqual([{ kind: 'binary', bytes: document.length, sha256: expect.stringMatching(/^[0-9A-F]{64}$/) }]);
  }, 120_000);
});
