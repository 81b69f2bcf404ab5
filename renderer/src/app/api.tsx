/**
 * The one way screens call main: TanStack Query over the contract. A query or mutation is named by
 * its contract call; a `{ ok: false }` result becomes a CallError carrying the contract's error, so
 * every screen gets loading, error and data states the same way (QueryView shows them).
 */
import { createContext, useContext } from 'react';
import {
  QueryClient,
  useMutation,
  useQuery,
  type UseMutationOptions,
  type UseQueryOptions,
} from '@tanstack/react-query';
import type { AppError, CallInput, CallOutput, ContractCall, JoldamaApi, Result } from '../../../contract/contract.ts';

export class CallError extends Error {
  override readonly name = 'CallError';
  constructor(readonly error: AppError) {
    super(error.code);
  }
}

export const ApiContext = createContext<JoldamaApi | null>(null);

export function useApi(): JoldamaApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside ApiContext');
  return api;
}

/** Call main; a refusal is thrown as a CallError (for Query), a success returns the value. */
export async function call<K extends ContractCall>(api: JoldamaApi, name: K, input: CallInput<K>): Promise<CallOutput<K>> {
  const fn = api[name] as unknown as (i: CallInput<K>) => Promise<Result<CallOutput<K>>>;
  const result = await fn(input);
  if (!result.ok) throw new CallError(result.error);
  return result.value;
}

/** The contract error behind a failed query or mutation (anything else counts as INTERNAL_ERROR). */
export function errorOf(e: unknown): AppError {
  return e instanceof CallError ? e.error : { code: 'INTERNAL_ERROR' };
}

/** Query keys: the call's name and its input, so one call with one input is one cache entry. */
export const queryKey = <K extends ContractCall>(name: K, input: CallInput<K>) => [name, input] as const;

export function useCall<K extends ContractCall>(
  name: K,
  input: CallInput<K>,
  options: Omit<UseQueryOptions<CallOutput<K>, CallError, CallOutput<K>, readonly [K, CallInput<K>]>, 'queryKey' | 'queryFn'> = {},
) {
  const api = useApi();
  return useQuery({ queryKey: queryKey(name, input), queryFn: () => call(api, name, input), ...options });
}

export function useCallMutation<K extends ContractCall>(
  name: K,
  options: Omit<UseMutationOptions<CallOutput<K>, CallError, CallInput<K>>, 'mutationFn'> = {},
) {
  const api = useApi();
  return useMutation({ mutationFn: (input: CallInput<K>) => call(api, name, input), ...options });
}

/**
 * The app's query client: no retries (main already reports a lost portal as a typed error the user
 * can act on), no refetch on window focus (a kiosk window is always focused).
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}
