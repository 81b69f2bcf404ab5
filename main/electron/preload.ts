/**
 * Preload (sandboxed, context-isolated): exposes exactly the contract's calls as
 * `window.joldama` through contextBridge. ipcRenderer itself is never exposed; unknown call
 * names are refused here too, and main validates everything again.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { apiFromCall, IPC_CHANNEL, isContractCall, type CallFn, type Result } from '../../contract/contract.ts';

const call: CallFn = async (name, input) => {
  if (!isContractCall(name)) return { ok: false, error: { code: 'UNKNOWN_CALL' } };
  try {
    return (await ipcRenderer.invoke(IPC_CHANNEL, name, input ?? {})) as Result<never>;
  } catch {
    return { ok: false, error: { code: 'INTERNAL_ERROR' } };
  }
};

contextBridge.exposeInMainWorld('joldama', { call, ...apiFromCall(call) });
