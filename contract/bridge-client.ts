/**
 * The renderer's side of browser mode: a JoldamaApi over the loopback bridge. Browser-safe (no
 * Node imports). The token comes from the page's URL fragment; call this once at start-up and
 * clear the fragment from the address bar (history.replaceState) so it is not bookmarked.
 */
import { apiFromCall, RPC_PATH_PREFIX, type CallFn, type JoldamaApi, type Result } from './contract.ts';

export function tokenFromFragment(hash: string): string | null {
  const match = /(?:^#|&)token=([A-Za-z0-9_-]{16,128})(?:&|$)/.exec(hash);
  return match?.[1] ?? null;
}

export function createBridgeApi(token: string, fetchFn: typeof fetch = fetch, origin = ''): JoldamaApi {
  const call: CallFn = async (name, input) => {
    try {
      const response = await fetchFn(`${origin}${RPC_PATH_PREFIX}${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(input ?? {}),
        credentials: 'omit',
      });
      return (await response.json()) as Result<never>;
    } catch {
      return { ok: false, error: { code: 'BRIDGE_UNREACHABLE' } };
    }
  };
  return apiFromCall(call);
}
