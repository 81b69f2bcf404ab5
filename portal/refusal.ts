/**
 * The portal domain's refusals: a code from the API's refusal catalogue (protocol/refusals.ts)
 * and an English message for logs and API clients. The domain knows no HTTP; the web layer
 * (server/errors.ts) answers each code with the catalogue's status.
 */
import type { RefusalCode } from '../protocol/refusals.ts';

export class Refusal extends Error {
  override readonly name = 'Refusal';
  constructor(
    readonly code: RefusalCode,
    message: string,
  ) {
    super(message);
  }
}

