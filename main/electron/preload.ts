/**
 * Preload (sandboxed, context-isolated): exposes exactly the contract's calls as
 * `window.joldama` through contextBridge, and `onEvent` for main's events. ipcRenderer itself is
 * never exposed; unknown call names are refused here too, and main validates everything again.
 * Events are validated against the contract before a listener sees them.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  apiFromCall,
  EVENT_CHANNEL,
  IPC_CHANNEL,
  isContractCall,
  parseAppEvent,
  type CallFn,
  type EventListener,
  type JoldamaEvents,
  type Result,
} from '../../contract/contract.ts';

const call: CallFn = async (name, input) => {
  if (!isContractCall(name)) return { ok: false, error: { code: 'UNKNOWN_CALL' } };
  try {
    return (await ipcRenderer.invoke(IPC_CHANNEL, name, input ?? {})) as Result<never>;
  } catch {
    return { ok: false, error: { code: 'INTERNAL_ERROR' } };
  }
};

const events: JoldamaEvents = {
  onEvent(listener: EventListener) {
    const receive = (_event: IpcRendererEvent, raw: unknown) => {
      const event = parseAppEvent(raw);
      if (event) listener(event);
    };
    ipcRenderer.on(EVENT_CHANNEL, receive);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, receive);
    };
  },
};

contextBridge.exposeInMainWorld('joldama', { call, ...apiFromCall(call), ...events });
