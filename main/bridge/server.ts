/**
 * The loopback HTTP bridge ("browser mode"): the same contract as the Electron IPC, for running
 * the UI in an ordinary browser and for the end-to-end tests.
 *
 *  - listens on 127.0.0.1 only, on a free port;
 *  - every request: Host must be exactly 127.0.0.1:<port> or localhost:<port> (DNS rebinding);
 *  - POST /api/rpc/<call>: `Authorization: Bearer <token>` (32 random bytes per launch, compared
 *    in constant time), `Content-Type: application/json`, Origin (when sent) equal to the bridge's
 *    own origin, body ≤ maxBodyBytes; the answer is the contract's Result as JSON;
 *  - GET /api/events: the contract's events as server-sent events (`data: <json>` lines), with the
 *    same token and Origin checks; at most MAX_EVENT_STREAMS at once;
 *  - GET: the built renderer with a strict CSP. The page gets the token from the URL fragment
 *    (`#token=`), which browsers never send to a server or in a Referer.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { EVENTS_PATH, RPC_PATH_PREFIX, type EventListener, type Result } from '../../contract/contract.ts';
import { RENDERER_HEADERS } from '../csp.ts';
import type { Dispatch } from '../dispatch.ts';
import { readRendererFile } from '../renderer-files.ts';

export interface BridgeOptions {
  dispatch: Dispatch;
  /** renderer/dist; without it only the API is served. */
  rendererRoot?: string;
  /** 0 (default): a free port. */
  port?: number;
  maxBodyBytes?: number;
  /** Where the event stream comes from (main's EventHub); without it GET /api/events is 404. */
  subscribe?: (listener: EventListener) => () => void;
}

export interface Bridge {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** origin + '/#token=…': the address to open. */
  url: string;
  token: string;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY = 256 * 1024;
/** One window needs one stream; a few allow reloads while the old stream is being closed. */
export const MAX_EVENT_STREAMS = 4;
/** A comment line now and then keeps idle proxies and the browser from dropping the stream. */
const EVENT_HEARTBEAT_MS = 25_000;
const API_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

function sendJson(res: http.ServerResponse, status: number, body: Result<unknown>): void {
  res.writeHead(status, API_HEADERS);
  res.end(JSON.stringify(body));
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new HttpRefusal(413, 'BODY_TOO_LARGE'));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpRefusal(413, 'BODY_TOO_LARGE'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tokenMatches(header: string | undefined, expected: Buffer): boolean {
  const match = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const token = randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  let port = 0;

  /** Origin (when sent) must be the bridge's own; the bearer token must match. */
  const checkCaller = (req: http.IncomingMessage) => {
    const origin = req.headers.origin;
    const allowedOrigins = [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
    if (origin !== undefined && !allowedOrigins.includes(origin)) throw new HttpRefusal(403, 'FORBIDDEN_ORIGIN');
    if (!tokenMatches(req.headers.authorization, tokenBytes)) throw new HttpRefusal(401, 'UNAUTHORIZED');
  };

  let streams = 0;
  const handleEvents = (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (req.method !== 'GET') throw new HttpRefusal(405, 'METHOD_NOT_ALLOWED');
    if (!options.subscribe) throw new HttpRefusal(404, 'NOT_FOUND');
    checkCaller(req);
    if (streams >= MAX_EVENT_STREAMS) throw new HttpRefusal(429, 'TOO_MANY_STREAMS');
    streams += 1;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    res.write(': joldama events\n\n');
    const unsubscribe = options.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const heartbeat = setInterval(() => res.write(': ping\n\n'), EVENT_HEARTBEAT_MS);
    res.once('close', () => {
      streams -= 1;
      clearInterval(heartbeat);
      unsubscribe();
    });
  };

  const handleRpc = async (req: http.IncomingMessage, res: http.ServerResponse, call: string) => {
    if (req.method !== 'POST') throw new HttpRefusal(405, 'METHOD_NOT_ALLOWED');
    checkCaller(req);
    if (!/^application\/json(;|$)/i.test(req.headers['content-type'] ?? '')) {
      throw new HttpRefusal(415, 'UNSUPPORTED_MEDIA_TYPE');
    }
    const body = await readBody(req, limit);
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpRefusal(400, 'INVALID_INPUT');
    }
    const result = await options.dispatch(call, input);
    sendJson(res, !result.ok && result.error.code === 'UNKNOWN_CALL' ? 404 : 200, result);
  };

  const handleStatic = async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpRefusal(405, 'METHOD_NOT_ALLOWED');
    if (!options.rendererRoot) throw new HttpRefusal(404, 'NOT_FOUND');
    const file = await readRendererFile(options.rendererRoot, pathname);
    if (file.status !== 200) throw new HttpRefusal(file.status, file.status === 404 ? 'NOT_FOUND' : 'BAD_PATH');
    res.writeHead(200, { ...RENDERER_HEADERS, 'content-type': file.contentType, 'content-length': file.body.length });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  };

  const server = http.createServer((req, res) => {
    const handle = async () => {
      const host = req.headers.host;
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) throw new HttpRefusal(403, 'FORBIDDEN_HOST');
      const rawPath = (req.url ?? '/').split('?')[0] ?? '/';
      if (rawPath.startsWith(RPC_PATH_PREFIX)) {
        let call: string;
        try {
          call = decodeURIComponent(rawPath.slice(RPC_PATH_PREFIX.length));
        } catch {
          throw new HttpRefusal(400, 'INVALID_INPUT');
        }
        return handleRpc(req, res, call);
      }
      if (rawPath === EVENTS_PATH) return handleEvents(req, res);
      if (rawPath.startsWith('/api/')) throw new HttpRefusal(404, 'NOT_FOUND');
      return handleStatic(req, res, rawPath);
    };
    handle().catch((e: unknown) => {
      const refusal = e instanceof HttpRefusal ? e : new HttpRefusal(500, 'INTERNAL_ERROR');
      if (res.headersSent) return res.destroy();
      // Connection: close so that an oversized body still being sent is not read any further.
      res.setHeader('connection', 'close');
      sendJson(res, refusal.status, { ok: false, error: { code: refusal.code } });
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: `${origin}/#token=${token}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
