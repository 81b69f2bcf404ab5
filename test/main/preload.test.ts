/**
 * The preload, against a recording stand-in of `electron`: it exposes exactly the contract's
 * calls (from the schema-free list, which equals the contract's), refuses other names, passes
 * main's events on unchecked (the renderer validates them), and its bundle is small and has no zod.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CALL_NAMES } from '../../contract/channels.ts';
import { callNames, validatedEvents, type AppEvent } from '../../contract/contract.ts';
import { buildPreload, PRELOAD_BUDGET_BYTES } from '../../main/electron/build.ts';

type Fn = (...args: unknown[]) => unknown;
const fake = vi.hoisted(() => ({
  exposed: {} as Record<string, unknown>,
  invoked: [] as unknown[][],
  listeners: new Map<string, Fn>(),
}));

vi.mock('electron', () => {
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (fake.exposed[key] = value) },
    ipcRenderer: {
      invoke: async (...args: unknown[]) => (fake.invoked.push(args), { ok: true, value: null }),
      on: (channel: string, fn: Fn) => fake.listeners.set(channel, fn),
      removeListener: (channel: string) => fake.listeners.delete(channel),
    },
  };
  return { ...electron, default: electron };
});

type Exposed = Record<string, (...args: unknown[]) => Promise<unknown>> & { onEvent(listener: (raw: unknown) => void): () => void };
let joldama: Exposed;
beforeAll(async () => {
  await import('../../main/electron/preload.ts');
  joldama = fake.exposed.joldama as Exposed;
});

describe('preload', () => {
  it("takes the contract's call names from a list with no schema, the same list", () => {
    expect([...CALL_NAMES]).toEqual(callNames);
  });

  it('exposes exactly the calls, `call` and onEvent', async () => {
    expect(Object.keys(joldama).sort()).toEqual(['call', 'onEvent', ...CALL_NAMES].sort());
    await joldama['auth.session']!();
    expect(fake.invoked).toEqual([['joldama:call', 'auth.session', {}]]);
    expect(await joldama.call!('ipc.anything', {})).toEqual({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    expect(fake.invoked).toHaveLength(1);
  });

  it("passes main's events on as they came; the renderer's wrapper drops what the contract does not allow", () => {
    const seen: AppEvent[] = [];
    const stop = validatedEvents(joldama).onEvent((event) => seen.push(event));
    const send = fake.listeners.get('joldama:event')!;
    send({}, { name: 'session.ended', payload: { reason: 'expired' } });
    send({}, { name: 'session.ended', payload: { reason: 'because' } });
    send({}, { name: 'ipc.evil', payload: {} });
    send({}, 'not an event');
    expect(seen).toEqual([{ name: 'session.ended', payload: { reason: 'expired' } }]);
    stop();
    expect(fake.listeners.has('joldama:event')).toBe(false);
  });

  it(`bundles minified within ${PRELOAD_BUDGET_BYTES} bytes, without zod or the contract's schemas`, async () => {
    const { bytes, inputs } = await buildPreload({ write: false });
    expect(bytes).toBeLessThanOrEqual(PRELOAD_BUDGET_BYTES);
    expect(inputs.filter((input) => /node_modules[\\/]zod|contract[\\/]contract\.ts|protocol[\\/]/.test(input))).toEqual([]);
  });
});
