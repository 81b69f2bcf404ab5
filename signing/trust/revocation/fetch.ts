/** HTTP for revocation data: injectable fetch, a hard per-request timeout, a size cap. */

export const DEFAULT_TIMEOUT_MS = 5000;
/** CRLs of a national CA can be large, but not this large. */
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface HttpOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Largest body accepted (default 64 MiB). */
  maxBytes?: number;
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
      return readCapped(response, url, options.maxBytes ?? MAX_RESPONSE_BYTES);
    })();
    work.catch(() => undefined); // the race below reports the first failure; avoid an unhandled rejection
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The body, read chunk by chunk so an endless or huge answer is cut off, not buffered whole. */
async function readCapped(response: Response, url: string, maxBytes: number): Promise<Buffer> {
  const tooMuch = () => new Error(`${url} sent too much data`);
  if (Number(response.headers.get('content-length') ?? 0) > maxBytes) throw tooMuch();
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooMuch();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
