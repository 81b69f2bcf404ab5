/** HTTP for revocation data: injectable fetch, a hard per-request timeout, a size cap. */

export const DEFAULT_TIMEOUT_MS = 5000;
/** CRLs of a national CA can be large, but not this large. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface HttpOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Resolves to the body, or rejects with a short reason (timeout, HTTP status, too large). */
export async function fetchBytes(url: string, init: RequestInit, options: HttpOptions): Promise<Buffer> {
  const doFetch = options.fetch ?? fetch;
  const controller = new AbortController();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  // The race guarantees the timeout even with a fetch that ignores the abort signal.
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer from ${url} within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const work = (async () => {
      const response = await doFetch(url, { ...init, signal: controller.signal });
      if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
      const body = Buffer.from(await response.arrayBuffer());
      if (body.length > MAX_RESPONSE_BYTES) throw new Error(`${url} sent too much data`);
      return body;
    })();
    work.catch(() => undefined); // the race below reports the first failure; avoid an unhandled rejection
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
