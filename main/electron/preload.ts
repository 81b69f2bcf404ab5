/**
 * Preload (sandboxed, context-isolated): exposes exactly the contract's calls as
 * `window.joldama` through contextBridge, and `onEvent` for main's events. ipcRenderer itself is
 * never exposed; unknown call names are refused here too. It imports no schema (contract/channels.ts
 * only, held to a size budget by build.ts): main validates every call, and the renderer validates
 * every event (contract.ts validatedEvents) before a listener sees it.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CALL_NAMES, EVENT_CHANNEL, IPC_CHANNEL, type RawEvents } from '../../contract/channels.ts';

const known = new Set<string>(CALL_NAMES);

async function call(name: unknown, input: unknown): Promise<unknown> {
  if (typeof name !== 'string' || !known.has(name)) return { ok: false, error: { code: 'UNKNOWN_CALL' } };
  try {
    return await ipcRenderer.invoke(IPC_CHANNEL, name, input ?? {});
  } catch {
    return { ok: false, error: { code: 'INTERNAL_ERROR' } };
  }
}

const api: Record<string, (input?: unknown) => Promise<unknown>> = {};
for (const name of CALL_NAMES) api[name] = (input) => call(name, input);

const events: RawEvents = {
  onEvent(listener) {
    const receive = (_event: IpcRendererEvent, raw: unknown) => listener(raw);
    ipcRenderer.on(EVENT_CHANNEL, receive);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, receive);
    };
  },
};

contextBridge.exposeInMainWorld('joldama', { call, ...api, ...events });
