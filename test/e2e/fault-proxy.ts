/**
 * For the end-to-end tests only: an HTTP proxy between the app (main) and the demo portal that can
 * lose the answer of the next referral submission — the portal takes and processes the request, the
 * app's connection is cut before the answer arrives — as a flaky network would. Told what to do by
 * POST /__e2e/fault {"lose": "referral-answer"} on the proxy itself (a path the portal never has).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FaultProxy {
  url: string;
  close(): Promise<void>;
}

const REFERRAL = /^\/api\/applications\/[^/]+\/referral$/;

/**
 * `target` is read per request: the proxy listens first, so the portal can be started with the
 * proxy's address as its public origin (the app signs a login only for its configured portal's).
 */
export async function startFaultProxy(target: () => string): Promise<FaultProxy> {
  let loseNextReferralAnswer = false;

  const server = http.createServer((req, res) => {
    if (req.url === '/__e2e/fault' && req.method === 'POST') {
      loseNextReferralAnswer = true;
      res.writeHead(204).end();
      return;
    }
    const lose = loseNextReferralAnswer && req.method === 'POST' && REFERRAL.test(req.url ?? '');
    if (lose) loseNextReferralAnswer = false;
    const upstream = new URL(target());
    const forward = http.request(
      // A fresh connection each time: a kept-alive one the portal has just closed would fail the request.
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host }, agent: false },
      (answer) => {
        if (lose) {
          // The portal has done the work; the app never hears of it.
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => req.socket.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
