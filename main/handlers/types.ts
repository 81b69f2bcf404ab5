import type { z } from 'zod';
import type { CallOutput, Contract, ContractCall } from '../../contract/contract.ts';
import type { MainContext } from '../context.ts';

/** A handler gets input already validated by the contract and returns the call's output. */
export type Handler<K extends ContractCall> = (
  input: z.output<Contract[K]['input']>,
  ctx: MainContext,
) => Promise<CallOutput<K>>;

export type HandlerGroup<K extends ContractCall> = { [P in K]: Handler<P> };
