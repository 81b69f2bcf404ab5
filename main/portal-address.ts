/**
 * Which portal addresses main accepts. The address decides where the session token and the
 * signed login go, so it is never the window's to set (settings.update has no such field): it
 * comes from the administrator's policy or the installer's configuration (see settings.ts).
 * https only; plain http only to a loopback address, and only in demo mode (the demo portal).
 */
import { isIP } from 'node:net';

export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Why `url` cannot be the portal's address, or null when it can. */
export function portalAddressProblem(url: string, options: { demo: boolean }): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'not a URL';
  }
  if (u.username !== '' || u.password !== '') return 'credentials in the address';
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && options.demo && isLoopbackHost(u.hostname)) return null;
  return u.protocol === 'http:' ? 'plain http (https only; loopback http only in demo mode)' : `scheme ${u.protocol} (https only)`;
}

/** The origin (scheme, host, port) of an address; null for what is not a URL. */
export function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
