import { describe, expect, it } from 'vitest';
import { fetchBytes } from '../../../signing/trust/revocation/fetch.ts';

const URL_ = 'http://crl.test.invalid/x.crl';

describe('fetchBytes', () => {
  it('gives up after the timeout even when fetch ignores the abort signal', async () => {
    const never = (() => new Promise<Response>(() => undefined)) as typeof fetch;
    await expect(fetchBytes(URL_, {}, { fetch: never, timeoutMs: 30 })).rejects.toThrow(
      'no answer from http://crl.test.invalid/x.crl within 30 ms',
    );
  });

  it('aborts the request it gave up on', async () => {
    let aborted = false;
    const hanging = ((_u: unknown, init?: RequestInit) =>
      new Promise<Response>(() =>
        init?.signal?.addEventListener('abort', () => (aborted = true)),
      )) as typeof fetch;
    await expect(fetchBytes(URL_, {}, { fetch: hanging, timeoutMs: 20 })).rejects.toThrow();
    expect(aborted).toBe(true);
  });

  it('reports an HTTP error status', async () => {
    const notFound = (async () => new Response('nope', { status: 404 })) as typeof fetch;
    await expect(fetchBytes(URL_, {}, { fetch: notFound })).rejects.toThrow('answered HTTP 404');
  });

  it('cuts off a body larger than allowed, declared or streamed', async () => {
    const declared = (async () =>
      new Response(new Uint8Array(10), { headers: { 'content-length': '999999' } })) as typeof fetch;
    await expect(fetchBytes(URL_, {}, { fetch: declared, maxBytes: 100 })).rejects.toThrow('too much data');
    const streamed = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            controller.enqueue(new Uint8Array(64)); // endless
          },
        }),
      )) as typeof fetch;
    await expect(fetchBytes(URL_, {}, { fetch: streamed, maxBytes: 1000 })).rejects.toThrow('too much data');
  });

  it('returns the body', async () => {
    const ok = (async () => new Response(new Uint8Array([1, 2, 3]))) as typeof fetch;
    expect([...(await fetchBytes(URL_, {}, { fetch: ok }))]).toEqual([1, 2, 3]);
  });
});
