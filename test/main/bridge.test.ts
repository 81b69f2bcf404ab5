import http from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBridgeApi, createBridgeEvents, tokenFromFragment } from '../../contract/bridge-client.ts';
import type { AppEvent } from '../../contract/contract.ts';
import { MAX_EVENT_STREAMS, startBridge, type Bridge } from '../../main/bridge/server.ts';
import { EventHub } from '../../main/events.ts';
import { RENDERER_CSP } from '../../main/csp.ts';
import { createDispatch } from '../../main/dispatch.ts';
import { fakeContext } from './helpers/fake-context.ts';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** node:http directly, so that Host and Origin can be set to anything (fetch would not allow it). */
function raw(bridge: Bridge, opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }) {
  const { port } = new URL(bridge.origin);
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

let bridge: Bridge;
let root: string;
let secretDir: string;

function rpc(call: string, body: unknown, headers: Record<string, string> = {}) {
  return raw(bridge, {
    method: 'POST',
    path: `/api/rpc/${call}`,
    headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'joldama-bridge-'));
  secretDir = path.join(root, 'secret');
  await mkdir(path.join(root, 'dist', 'assets'), { recursive: true });
  await mkdir(secretDir);
  await writeFile(path.join(root, 'dist', 'index.html'), '<!doctype html><title>Joldama</title>');
  await writeFile(path.join(root, 'dist', 'assets', 'app.js'), 'console.log(1)');
  await writeFile(path.join(secretDir, 'key.txt'), 'TOP SECRET');
  bridge = await startBridge({ dispatch: createDispatch(fakeContext()), rendererRoot: path.join(root, 'dist'), maxBodyBytes: 4096 });
});

afterAll(async () => {
  await bridge.close();
  await rm(root, { recursive: true, force: true });
});

describe('loopback bridge', () => {
  it('listens on 127.0.0.1 with a fresh 32-byte token in the URL fragment', async () => {
    expect(bridge.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Buffer.from(bridge.token, 'base64url')).toHaveLength(32);
    expect(tokenFromFragment(new URL(bridge.url).hash)).toBe(bridge.token);
    const other = await startBridge({ dispatch: createDispatch(fakeContext()) });
    expect(other.token).not.toBe(bridge.token);
    await other.close();
  });

  it('answers a call with the right token', async () => {
    const res = await rpc('app.info', {});
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { mode: 'browser', version: '0.1.0-test' } });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('works through the browser client over real fetch, from the bridge origin', async () => {
    const api = createBridgeApi(bridge.token, fetch, bridge.origin);
    expect(await api['settings.get']({})).toMatchObject({ ok: true, value: { language: 'kk' } });
    expect(await api['keys.pickFile']({})).toEqual({ ok: false, error: { code: 'NOT_AVAILABLE_IN_BROWSER' } });
    const wrong = createBridgeApi('A'.repeat(43), fetch, bridge.origin);
    expect(await wrong['settings.get']({})).toEqual({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('refuses a call without a token (401)', async () => {
    const res = await raw(bridge, { method: 'POST', path: '/api/rpc/settings.get', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body)).toEqual({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it.each([
    ['a wrong token', () => 'Bearer ' + 'x'.repeat(43)],
    ['a token prefix', () => 'Bearer ' + bridge.token.slice(0, 20)],
    ['the token with extra characters', () => `Bearer ${bridge.token}A`],
    ['another scheme', () => `Basic ${bridge.token}`],
    ['the token in lower-case scheme with spaces', () => `bearer  ${bridge.token}`],
  ])('refuses %s (401)', async (_label, header) => {
    const res = await rpc('settings.get', {}, { authorization: header() });
    expect(res.status).toBe(401);
  });

  it.each([
    ['an attacker domain rebound to 127.0.0.1', 'evil.example:PORT'],
    ['the right host on another port', '127.0.0.1:1'],
    ['no port', '127.0.0.1'],
    ['localhost with a trailing dot', 'localhost.:PORT'],
  ])('refuses a wrong Host: %s (403), for calls and files', async (_label, hostTemplate) => {
    const host = hostTemplate.replace('PORT', new URL(bridge.origin).port);
    const call = await rpc('settings.get', {}, { host });
    expect(call.status).toBe(403);
    expect(JSON.parse(call.body)).toEqual({ ok: false, error: { code: 'FORBIDDEN_HOST' } });
    const page = await raw(bridge, { path: '/', headers: { host } });
    expect(page.status).toBe(403);
  });

  it('accepts localhost:<port> as Host', async () => {
    const res = await rpc('settings.get', {}, { host: `localhost:${new URL(bridge.origin).port}` });
    expect(res.status).toBe(200);
  });

  it.each(['https://evil.example', 'null', 'http://127.0.0.1:1', `http://127.0.0.1.evil.example`])(
    'refuses a foreign Origin %s (403) even with the token',
    async (origin) => {
      const res = await rpc('settings.get', {}, { origin });
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body)).toEqual({ ok: false, error: { code: 'FORBIDDEN_ORIGIN' } });
    },
  );

  it('accepts its own Origin', async () => {
    expect((await rpc('settings.get', {}, { origin: bridge.origin })).status).toBe(200);
  });

  it('refuses a body over the limit (413)', async () => {
    const res = await rpc('keys.list', { path: '/k', password: 'x'.repeat(5000) });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toEqual({ ok: false, error: { code: 'BODY_TOO_LARGE' } });
  });

  it('refuses non-JSON content types, bad JSON and GET on the API', async () => {
    expect((await rpc('settings.get', {}, { 'content-type': 'text/plain' })).status).toBe(415);
    const bad = await raw(bridge, {
      method: 'POST',
      path: '/api/rpc/settings.get',
      headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(bad.status).toBe(400);
    const get = await raw(bridge, { path: '/api/rpc/settings.get', headers: { authorization: `Bearer ${bridge.token}` } });
    expect(get.status).toBe(405);
  });

  it('answers an unknown call with 404 UNKNOWN_CALL and hostile input with INVALID_INPUT', async () => {
    const unknown = await rpc('__proto__', {});
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body)).toEqual({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    const hostile = await raw(bridge, {
      method: 'POST',
      path: '/api/rpc/settings.update',
      headers: { authorization: `Bearer ${bridge.token}`, 'content-type': 'application/json' },
      body: '{"__proto__":{"locked":[]},"language":"ru"}',
    });
    expect(JSON.parse(hostile.body)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('serves renderer files with the strict CSP and security headers', async () => {
    for (const p of ['/', '/index.html', '/assets/app.js', '/cabinet/applications']) {
      const res = await raw(bridge, { path: p });
      expect(res.status, p).toBe(200);
      expect(res.headers['content-security-policy']).toBe(RENDERER_CSP);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    expect(RENDERER_CSP).toContain("default-src 'none'");
    expect(RENDERER_CSP).not.toContain('unsafe');
    expect((await raw(bridge, { path: '/assets/app.js' })).headers['content-type']).toContain('javascript');
  });

  it.each(['/../secret/key.txt', '/%2e%2e/secret/key.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret/key.txt', '/..%5csecret%5ckey.txt', '/%00', '/%E0%A4%A'])(
    'refuses path traversal %s',
    async (p) => {
      const res = await raw(bridge, { path: p });
      expect([400, 404]).toContain(res.status);
      expect(res.body).not.toContain('TOP SECRET');
    },
  );
});

describe('loopback bridge events', () => {
  let hub: EventHub;
  let events: Bridge;
  beforeAll(async () => {
    hub = new EventHub();
    events = await startBridge({ dispatch: createDispatch(fakeContext()), subscribe: (l) => hub.subscribe(l) });
  });
  afterAll(async () => {
    await events.close();
  });

  /** Opens the stream with node:http and resolves with what arrived once `until` holds or the stream ends. */
  function stream(headers: Record<string, string>) {
    const { port } = new URL(events.origin);
    return new Promise<{ status: number; contentType: string | undefined; read: () => string; close: () => void }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'GET', path: '/api/events', headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], read: () => text, close: () => req.destroy() });
      });
      req.on('error', (e) => (String(e).includes('socket hang up') ? undefined : reject(e)));
      req.end();
    });
  }
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  };

  it('streams the contract events with the token, as server-sent events', async () => {
    const s = await stream({ authorization: `Bearer ${events.token}` });
    expect(s.status).toBe(200);
    expect(s.contentType).toBe('text/event-stream');
    hub.emit('cabinet.changed', { latestEventId: '42' });
    await until(() => s.read().includes('42'));
    expect(s.read()).toContain(`data: ${JSON.stringify({ name: 'cabinet.changed', payload: { latestEventId: '42' } })}\n\n`);
    s.close();
  });

  it('refuses a stream without the token, from another origin, or beyond the limit', async () => {
    expect((await raw(events, { path: '/api/events' })).status).toBe(401);
    expect((await raw(events, { path: '/api/events', headers: { authorization: `Bearer ${events.token}`, origin: 'http://evil.example' } })).status).toBe(403);
    expect((await raw(events, { method: 'POST', path: '/api/events', headers: { authorization: `Bearer ${events.token}` } })).status).toBe(405);
    const open = [];
    for (let i = 0; i < MAX_EVENT_STREAMS; i++) open.push(await stream({ authorization: `Bearer ${events.token}` }));
    expect(open.every((s) => s.status === 200)).toBe(true);
    expect((await raw(events, { path: '/api/events', headers: { authorization: `Bearer ${events.token}` } })).status).toBe(429);
    for (const s of open) s.close();
    await until(() => false); // let the server see the closes
    const again = await stream({ authorization: `Bearer ${events.token}` });
    expect(again.status).toBe(200);
    again.close();
  });

  it('is 404 on a bridge without events', async () => {
    expect((await raw(bridge, { path: '/api/events', headers: { authorization: `Bearer ${bridge.token}` } })).status).toBe(404);
  });

  it('reaches the renderer through the bridge client, which drops what the contract does not allow', async () => {
    // A bridge whose event source can send anything, as a broken main could.
    const listeners = new Set<(e: unknown) => void>();
    const loose = await startBridge({
      dispatch: createDispatch(fakeContext()),
      subscribe: (l) => {
        listeners.add(l as (e: unknown) => void);
        return () => listeners.delete(l as (e: unknown) => void);
      },
    });
    const client = createBridgeEvents(loose.token, fetch, loose.origin, 50);
    const seen: AppEvent[] = [];
    const stop = client.onEvent((e) => seen.push(e));
    await until(() => listeners.size > 0);
    for (const send of listeners) {
      send({ name: 'session.ended', payload: { reason: 'hacked' } });
      send({ name: 'unknown.event', payload: {} });
      send({ name: 'cabinet.changed', payload: { latestEventId: '7' } });
    }
    await until(() => seen.length > 0);
    expect(seen).toEqual([{ name: 'cabinet.changed', payload: { latestEventId: '7' } }]);
    stop();
    await until(() => listeners.size === 0);
    expect(listeners.size).toBe(0);
    await loose.close();
  });
});
