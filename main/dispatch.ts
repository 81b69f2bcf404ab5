/**
 * The one entry point for calls from a renderer (IPC) or the browser-mode bridge:
 * unknown name → UNKNOWN_CALL; input validated by the contract → INVALID_INPUT; handler;
 * output validated by the contract (nothing unexpected leaves main) → Result.
 * Exceptions become typed errors; unexpected ones are logged by name and message only —
 * never the input, which may hold a password.
 */
import { contract, isContractCall, type ContractCall, type Result } from '../contract/contract.ts';
import type { MainContext } from './context.ts';
import { toAppError } from './errors.ts';
import { handlers as defaultHandlers, type Handlers } from './handlers/index.ts';

export interface DispatchLogger {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
}

export type Dispatch = (name: unknown, input: unknown) => Promise<Result<unknown>>;

const consoleLogger: DispatchLogger = {
  warn: (fields, message) => console.warn(message, fields),
  error: (fields, message) => console.error(message, fields),
};

/** Zod issue paths and unexpected key names only, never the offending values. */
function issueFields(issues: readonly { path: readonly PropertyKey[]; keys?: readonly string[] }[]): string {
  return issues
    .map((i) => {
      const at = i.path.map(String).join('.') || '(root)';
      return i.keys ? `${at}[${i.keys.map((k) => k.slice(0, 32)).join('|')}]` : at;
    })
    .slice(0, 5)
    .join(',')
    .slice(0, 256);
}

export function createDispatch(
  ctx: MainContext,
  options: { handlers?: Handlers; log?: DispatchLogger } = {},
): Dispatch {
  const table = options.handlers ?? defaultHandlers;
  const log = options.log ?? consoleLogger;

  return async (name, rawInput) => {
    if (!isContractCall(name)) return { ok: false, error: { code: 'UNKNOWN_CALL' } };
    ctx.windowActivity.lastCallAt = Date.now();
    const call: ContractCall = name;
    const input = contract[call].input.safeParse(rawInput === undefined ? {} : rawInput);
    if (!input.success) {
      return { ok: false, error: { code: 'INVALID_INPUT', details: { fields: issueFields(input.error.issues) } } };
    }
    let value: unknown;
    try {
      const handler = table[call] as (input: unknown, ctx: MainContext) => Promise<unknown>;
      value = await handler(input.data, ctx);
    } catch (e) {
      const { error, known } = toAppError(e);
      if (!known) {
        const err = e instanceof Error ? { name: e.name, message: e.message } : { name: typeof e };
        log.error({ call, ...err }, 'call failed unexpectedly');
      }
      return { ok: false, error };
    }
    const output = contract[call].output.safeParse(value);
    if (!output.success) {
      log.error({ call, fields: issueFields(output.error.issues) }, 'handler output does not match the contract');
      return { ok: false, error: { code: 'INTERNAL_ERROR' } };
    }
    return { ok: true, value: output.data };
  };
}
