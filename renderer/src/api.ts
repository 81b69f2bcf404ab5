/**
 * The one client the UI uses to reach main. Two transports, one typed surface (JoldamaApi):
 * - Electron: preload's `window.joldama` (IPC);
 * - browser mode: POST /api/rpc/<name> on our own origin with a bearer token that arrived once
 *   in the URL fragment (#token=...), kept in sessionStorage and removed from the address bar.
 * Both resolve to Result<T>: a call never throws; failures are `{ ok: false, error: { code } }`.
 */
import {
  apiFromCall,
  contract,
  ResultSchema,
  RPC_PATH_PREFIX,
  type CallFn,
  type CallInput,
  type CallOutput,
  type ContractCall,
  type JoldamaApi,
  type Result,
} from '../../main/contract.ts';

declare global {
  interface Window {
    joldama?: JoldamaApi;
  }
}

const TOKEN_KEY = 'joldama.token';

/** Read `#token=` once, keep it for this tab only, and clear it from the address bar and history. */
export function takeBrowserToken(): string | null {
  const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const fromUrl = fragment.get('token');
  if (fromUrl) {
    window.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return window.sessionStorage.getItem(TOKEN_KEY);
}

function failure(code: string): Result<never> {
  return { ok: false, error: { code } };
}

/** The browser-mode transport. Responses are checked against the contract like any input. */
export function httpCall(token: string | null, fetchFn: typeof fetch = window.fetch.bind(window)): CallFn {
  return async <K extends ContractCall>(name: K, input: CallInput<K>): Promise<Result<CallOutput<K>>> => {
    let response: Response;
    try {
      response = await fetchFn(RPC_PATH_PREFIX + name, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch {
      return failure('INTERNAL_ERROR');
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return failure(response.status === 401 || response.status === 403 ? 'FORBIDDEN_SENDER' : 'INTERNAL_ERROR');
    }
    const parsed = ResultSchema(contract[name].output).safeParse(body);
    if (!parsed.success) return failure('INTERNAL_ERROR');
    return parsed.data as Result<CallOutput<K>>;
  };
}

/** Pick the transport once at start-up. */
export function createApi(): JoldamaApi {
  if (window.joldama) return window.joldama;
  return apiFromCall(httpCall(takeBrowserToken()));
}
