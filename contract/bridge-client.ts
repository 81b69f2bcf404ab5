/**
 * The renderer's side of browser mode: a JoldamaApi over the loopback bridge. Browser-safe (no
 * Node imports). The token comes from the page's URL fragment; call this once at start-up and
 * clear the fragment from the address bar (history.replaceState) so it is not bookmarked.
 */
import {
  apiFromCall,
  EVENTS_PATH,
  parseAppEvent,
  RPC_PATH_PREFIX,
  type CallFn,
  type EventListener,
  type JoldamaApi,
  type JoldamaEvents,
  type Result,
} from './contract.ts';

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

/**
 * The bridge's events (GET /api/events, server-sent events) for browser mode. One stream is
 * opened while anyone listens (fetch, not EventSource, so that the token goes in a header); it is
 * opened again after a pause when it drops. Every event is validated against the contract.
 */
export function createBridgeEvents(token: string, fetchFn: typeof fetch = fetch, origin = '', retryMs = 2_000): JoldamaEvents {
  const listeners = new Set<EventListener>();
  let abort: AbortController | null = null;

  const deliver = (block: string) => {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(5).trimStart())
      .join('\n');
    if (!data) return;
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return;
    }
    const event = parseAppEvent(raw);
    if (event) for (const listener of [...listeners]) listener(event);
  };

  const run = async (controller: AbortController) => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetchFn(`${origin}${EVENTS_PATH}`, {
          headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
          credentials: 'omit',
          signal: controller.signal,
        });
        if (response.ok && response.body) {
          const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
          let buffered = '';
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffered += value;
            let end: number;
            while ((end = buffered.indexOf('\n\n')) !== -1) {
              deliver(buffered.slice(0, end));
              buffered = buffered.slice(end + 2);
            }
          }
        }
      } catch {
        // dropped or refused: try again after a pause (below)
      }
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  };

  return {
    onEvent(listener) {
      listeners.add(listener);
      if (!abort) {
        abort = new AbortController();
        void run(abort);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && abort) {
          abort.abort();
          abort = null;
        }
      };
    },
  };
}
