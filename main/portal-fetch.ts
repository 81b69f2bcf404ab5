/**
 * The fetch main reaches the portal with: undici's, over an Agent whose TLS connections always
 * verify the server's certificate. Node's global fetch takes that from NODE_TLS_REJECT_UNAUTHORIZED
 * when not told: a stray "0" in the environment would turn off the checks that keep the session
 * token and the signed login between the app and the real portal. Trusted roots are Node's
 * (plus NODE_EXTRA_CA_CERTS); `ca` replaces them (tests, or a deployment pinning the portal's CA).
 */
import { Agent, fetch as undiciFetch } from 'undici';

export function portalFetch(options: { ca?: string | Buffer } = {}): typeof fetch {
  const dispatcher = new Agent({ connect: { rejectUnauthorized: true, ...(options.ca ? { ca: options.ca } : {}) } });
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as object), dispatcher } as Parameters<typeof undiciFetch>[1])) as unknown as typeof fetch;
}
