/**
 * Tokens for the window (docs/tokens.md): `keys.tokens` lists the tokens plugged in and the
 * certificates on each; the first call loads the modules and starts the watcher, which looks at the
 * slots every `intervalMs` and, when the set of tokens changes (a token plugged in, removed, or
 * another one in the same slot: compared by fingerprint), tells `onChange` the fingerprints now
 * present. create-app-context.ts turns that into the `tokens.changed` event and ends a session whose
 * key's token left. Main loads no native module until the window asks for tokens.
 */
import type { X509Certificate } from 'node:crypto';
import type { CallOutput, TokenSummary } from '../contract/contract.ts';
import { AppFailure } from './errors.ts';
import { listedToKeyDetails } from './signing-service.ts';
import type { TokenAccess } from './token-access.ts';

/** A look costs a C_GetSlotList and a C_GetTokenInfo per slot (well under a millisecond with SoftHSM). */
export const DEFAULT_TOKEN_POLL_MS = 2_000;

export interface TokenWatch {
  /** One look now (the timer calls it; tests call it directly). */
  check(): Promise<void>;
  stop(): void;
}

/**
 * Looks at the tokens every `intervalMs` and calls `onChange` with the fingerprints present when they
 * differ from the last look's; the first look only remembers them. A look that fails waits for the
 * next; never two looks at once.
 */
export function watchTokens(options: {
  access: Pick<TokenAccess, 'listTokens' | 'rescan'>;
  onChange: (present: ReadonlySet<string>) => void;
  intervalMs?: number;
}): TokenWatch {
  let seen: string | undefined;
  let running: Promise<void> | null = null;
  const look = async (): Promise<void> => {
    await options.access.rescan();
    const { tokens } = await options.access.listTokens();
    const present = new Set(tokens.map((t) => t.fingerprint));
    const key = [...present].sort().join(',');
    const before = seen;
    seen = key;
    if (before !== undefined && before !== key) options.onChange(present);
  };
  const check = (): Promise<void> => {
    running ??= look()
      .catch(() => undefined)
      .finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => void check(), options.intervalMs ?? DEFAULT_TOKEN_POLL_MS);
  timer.unref();
  return { check, stop: () => clearInterval(timer) };
}

export class TokenService {
  private watch: TokenWatch | null = null;

  constructor(
    /** null: tokens may not be used here (the administrator's policy). */
    private readonly access: TokenAccess | null,
    private readonly options: {
      /** Told each listed certificate (public), so that keys.revocation can check it. */
      onListed?: (certificate: X509Certificate) => void;
      onChange: (present: ReadonlySet<string>) => void;
      intervalMs?: number;
      clock?: () => Date;
    },
  ) {}

  /** keys.tokens: the tokens and their keys; starts watching on the first call. */
  async list(): Promise<CallOutput<'keys.tokens'>> {
    const access = this.access;
    if (!access) throw new AppFailure('TOKENS_UNAVAILABLE');
    const [tokens, keys] = [
      await access.listTokens(),
      await access.listKeys(this.options.clock?.() ?? new Date()),
    ];
    this.watch ??= watchTokens({
      access,
      onChange: this.options.onChange,
      ...(this.options.intervalMs ? { intervalMs: this.options.intervalMs } : {}),
    });
    for (const key of keys.keys) if (key.certificate) this.options.onListed?.(key.certificate);
    // The first look remembers what the window was just shown.
    void this.watch.check();
    const summaries: TokenSummary[] = tokens.tokens.map((token) => ({
      module: token.module,
      slot: token.slot,
      label: token.label,
      manufacturer: token.manufacturer,
      model: token.model,
      serial: token.serial,
      pinLocked: token.pinLocked,
      ...(token.pinTries ? { pinTries: token.pinTries } : {}),
      ...(token.pinPad ? { pinPad: true } : {}),
      keys: keys.keys
        .filter((k) => k.ref.kind === 'token' && k.ref.token === token.fingerprint)
        .map(listedToKeyDetails),
    }));
    const problems = [...tokens.problems, ...keys.problems]
      .filter((p, i, all) => all.findIndex((q) => q.where === p.where && q.code === p.code) === i)
      .map((p) => ({ module: p.where, code: p.code }));
    // The binding could not load at all: say so rather than "no tokens".
    if (
      summaries.length === 0 &&
      problems.length > 0 &&
      problems.every((p) => p.code === 'TOKENS_UNAVAILABLE')
    ) {
      throw new AppFailure('TOKENS_UNAVAILABLE');
    }
    return { tokens: summaries, problems };
  }

  /** One watcher look now, once the window has asked for tokens (the timer calls it; tests call it directly). */
  async check(): Promise<void> {
    await this.watch?.check();
  }

  /** Stops watching and finalises the modules (resolves once they are). */
  async stop(): Promise<void> {
    this.watch?.stop();
    await this.access?.close();
  }
}
