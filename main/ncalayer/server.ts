/**
 * The local signing service that speaks NCALayer's protocol (docs/ncalayer.md): WebSocket over
 * TLS on 127.0.0.1:13579, so Kazakh web portals written for NCALayer sign through Joldama's dialog.
 * Pure Node (https + ws), no Electron: control.ts wires it to the window and tests drive it
 * from Chromium.
 *
 * Off unless constructed with `enabled: true`. Limits: message size (ws maxPayload), connections,
 * a message rate per connection, one request at a time per connection and one dialog at a time
 * overall. Every message is validated (requests.ts); anything malformed gets an error reply in
 * NCALayer's shape, never a stack or the message's content.
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket, type RawData } from 'ws';
import { perform } from './operations.ts';
import { canonicalOrigin, type OriginPolicy } from './origin-policy.ts';
import { GREETING, NcaLayerFailure, failure, type Reply } from './replies.ts';
import { Envelope, jobOf, styleOf } from './requests.ts';
import type { NcaLayerUser } from './user.ts';

export const NCALAYER_PORT = 13579;

export interface NcaLayerLimits {
  /** Largest message in bytes (a 10 MB document is ~13.4 MB as base64 in JSON). Default 32 MiB. */
  maxMessageBytes: number;
  /** Open connections at once. Default 8. */
  maxConnections: number;
  /** Messages a connection may send in a burst, and per second after it. Default 20 and 5. */
  burst: number;
  perSecond: number;
}

export const DEFAULT_LIMITS: NcaLayerLimits = { maxMessageBytes: 32 * 1024 * 1024, maxConnections: 8, burst: 20, perSecond: 5 };

export interface NcaLayerServerOptions {
  /** Off by default: nothing listens until the user (or the kiosk policy) turns the service on. */
  enabled?: boolean;
  /** PEM certificate (chain) and private key for 127.0.0.1 (tls.ts). */
  tls: { cert: string; key: string };
  user: NcaLayerUser;
  policy: OriginPolicy;
  /** Default 13579; 0 picks a free port (tests). */
  port?: number;
  limits?: Partial<NcaLayerLimits>;
  /** Told about failures that are bugs (never the request's content). */
  onInternalError?: (error: unknown) => void;
  now?: () => Date;
}

/** A token bucket: `burst` messages at once, refilled at `perSecond`. */
class RateLimit {
  private tokens: number;
  private last = Date.now();
  constructor(private readonly limits: NcaLayerLimits) {
    this.tokens = limits.burst;
  }
  take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.limits.burst, this.tokens + ((now - this.last) / 1000) * this.limits.perSecond);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

function refuseUpgrade(socket: Duplex, status: 403 | 503, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export class NcaLayerServer {
  private readonly limits: NcaLayerLimits;
  private server: Server | undefined;
  private readonly sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private dialogOpen = false;
  private port = 0;

  constructor(private readonly options: NcaLayerServerOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    // Set after construction so a zero-length limit is never possible.
    this.sockets.options.maxPayload = this.limits.maxMessageBytes;
  }

  /** Starts listening on 127.0.0.1; resolves the port, or undefined when the service is off. */
  async start(): Promise<number | undefined> {
    if (!this.options.enabled) return undefined;
    const server = createServer({ cert: this.options.tls.cert, key: this.options.tls.key, minVersion: 'TLSv1.2' });
    // A page may open https://127.0.0.1:13579 to accept the certificate by hand.
    server.on('request', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
      response.end('Joldama: the NCALayer-compatible signing service is running.\n');
    });
    server.on('upgrade', (request, socket, head) => this.upgrade(request, socket, head));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? NCALAYER_PORT, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    const address = server.address();
    this.port = typeof address === 'object' && address ? address.port : 0;
    return this.port;
  }

  async stop(): Promise<void> {
    for (const client of this.sockets.clients) client.terminate();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // The certificate is for 127.0.0.1 and localhost only; any other Host is a rebinding attempt.
    const host = request.headers.host;
    if (host !== `127.0.0.1:${this.port}` && host !== `localhost:${this.port}`) return refuseUpgrade(socket, 403, 'Forbidden');
    // Browsers always send Origin on a WebSocket; a request without one is not a web page.
    const header = request.headers.origin;
    if (!header) return refuseUpgrade(socket, 403, 'Forbidden');
    if (this.sockets.clients.size >= this.limits.maxConnections) return refuseUpgrade(socket, 503, 'Service Unavailable');
    this.sockets.handleUpgrade(request, socket, head, (ws) => this.serve(ws, canonicalOrigin(header)));
  }

  private serve(ws: WebSocket, origin: string | undefined): void {
    const rate = new RateLimit(this.limits);
    const closed = new AbortController();
    let busy = false;
    ws.on('close', () => closed.abort());
    ws.on('error', () => ws.terminate());
    const send = (reply: Reply | string): void => {
      if (ws.readyState === WebSocket.OPEN) ws.send(typeof reply === 'string' ? reply : JSON.stringify(reply));
    };
    send(GREETING);

    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (!rate.take()) {
        send(failure('basics', new NcaLayerFailure('RATE_LIMITED', 'Too many messages; the connection is closed.')));
        ws.close(1008, 'rate limit');
        return;
      }
      const text = isBinary ? undefined : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.concat(data as Buffer[]).toString('utf8');
      // Some pages keep the socket open with a heartbeat NCALayer echoes.
      if (text === '--heartbeat--') return send(text);
      const envelope = this.envelopeOf(text);
      if (envelope instanceof NcaLayerFailure) return send(failure('basics', envelope));
      const style = styleOf(envelope.module);
      const withUuid = (reply: Reply): Reply => (envelope.uuid === undefined ? reply : { ...reply, uuid: envelope.uuid });
      if (busy) {
        send(withUuid(failure(style, new NcaLayerFailure('BUSY', 'The previous request on this connection is not answered yet.'))));
        return;
      }
      busy = true;
      void this.answer(envelope, origin, closed.signal)
        .then((reply) => send(withUuid(reply)))
        .finally(() => (busy = false));
    });
  }

  private envelopeOf(text: string | undefined): Envelope | NcaLayerFailure {
    const invalid = new NcaLayerFailure('INVALID_JSON', 'The message is not an NCALayer request (a JSON object with module and method).');
    if (text === undefined) return invalid;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      return invalid;
    }
    const parsed = Envelope.safeParse(raw);
    return parsed.success ? parsed.data : invalid;
  }

  private async answer(envelope: Envelope, origin: string | undefined, signal: AbortSignal): Promise<Reply> {
    const style = styleOf(envelope.module);
    try {
      if (!origin) throw new NcaLayerFailure('ORIGIN_NOT_SECURE', 'Joldama signs only for pages served over https.');
      const job = jobOf(envelope);
      return await perform(job, {
        origin,
        policy: this.options.policy,
        user: this.options.user,
        signal,
        now: this.options.now ?? (() => new Date()),
        openDialog: () => {
          if (this.dialogOpen) return undefined;
          this.dialogOpen = true;
          return () => (this.dialogOpen = false);
        },
      });
    } catch (e) {
      if (e instanceof NcaLayerFailure) return failure(style, e);
      this.options.onInternalError?.(e);
      return failure(style, new NcaLayerFailure('INTERNAL_ERROR', 'Joldama could not complete the request.'));
    }
  }
}
