/**
 * Behind a reverse proxy every connection comes from the proxy, so per-client limits (the rate
 * limits) would count all clients as one. `trustProxy` names the proxies whose X-Forwarded-For the
 * portal believes: then `req.ip`, which the rate limits key on, is the client the proxy saw.
 * Default: no proxy is trusted (X-Forwarded-For is ignored; a client cannot pick its own address).
 *
 * Accepted (`joldama portal --trust-proxy`): the proxies' addresses or networks, comma-separated
 * (`127.0.0.1`, `10.0.0.0/8,fd00::/8`, or proxy-addr's names `loopback`, `linklocal`,
 * `uniquelocal`). Trusting every address (`true`) or a hop count is refused: any client could then
 * choose the address it is limited by, or, behind fewer proxies than counted, bypass the limit.
 */
import { isIP } from 'node:net';

/** Fastify's trustProxy in the forms the portal accepts. */
export type TrustProxy = false | string[];

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrNetwork(entry: string): boolean {
  if (NAMED.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  return bits >= 0 && bits <= (family === 4 ? 32 : 128);
}

export function parseTrustProxy(value: string): TrustProxy {
  const text = value.trim();
  if (text === '' || text === 'false') return false;
  const entries = text.split(',').map((e) => e.trim());
  if (entries.every(isAddressOrNetwork)) return entries;
  throw new Error(
    `--trust-proxy expects the proxies' addresses or networks (127.0.0.1, 10.0.0.0/8, loopback), comma-separated; got "${value}"`,
  );
}
