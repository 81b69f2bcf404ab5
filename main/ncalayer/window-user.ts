/**
 * The NCALayer service's user (user.ts) answered through the app's window (docs/ncalayer.md, "The
 * dialog"): each request becomes the `ncalayer.request` event; the window's key dialog, in its
 * site-request mode, answers with the `ncalayer.answer` call (a key reference and its secret,
 * cancel, or refuse the site).
 *
 * - One site request at a time; a second one is BUSY for its site.
 * - An answer for any other request id (stale, unknown, already answered) is refused
 *   (NCALAYER_REQUEST_UNKNOWN).
 * - The key opens through main's one key path (SigningService.withSigner: file and token keys
 *   alike). A key that cannot be opened (wrong password or PIN, removed token, a key the site does
 *   not accept) is said to the window, and the dialog stays for another try or Cancel; the site
 *   waits.
 * - Nobody at the window (no window, it closed, the session ended): NO_WINDOW, or the cancel reply.
 *   The page leaving closes the dialog (`ncalayer.requestClosed`).
 */
import { randomUUID } from 'node:crypto';
import type { KeyRef, SiteAnswer, SiteDocument, SiteRequest } from '../../contract/contract.ts';
import type { Purpose, Signer } from '../../signing/index.ts';
import { AppFailure } from '../errors.ts';
import { NcaLayerFailure } from './replies.ts';
import { RequestCancelled, type ConfirmAnswer, type ConfirmRequest, type DocumentSummary, type NcaLayerUser } from './user.ts';

export interface WindowUserOptions {
  /** Shows the request in the window (the `ncalayer.request` event). */
  show(request: SiteRequest): void;
  /** The request ended without the window's answer: the dialog closes (`ncalayer.requestClosed`). */
  closed(requestId: string): void;
  /** Whether a window listens now. */
  windowOpen(): boolean;
  /** SigningService.withSigner: the one way main opens a key, file or token. */
  withSigner<T>(ref: KeyRef, secret: string, purpose: Purpose | undefined, use: (signer: Signer) => Promise<T>): Promise<T>;
  activeTokens(): Promise<string[]>;
}

/** One try with a key: the window's answer call waits for its outcome. */
interface Attempt {
  ref: KeyRef;
  secret: string;
  settle(error: unknown): void;
}

interface Pending {
  id: string;
  purpose: Purpose | undefined;
  /** confirm() waiting for the window's first answer. */
  decide: ((answer: ConfirmAnswer) => void) | null;
  /** withSigner waiting for another try after a failed one (null: cancel). */
  nextTry: ((attempt: Attempt | null) => void) | null;
  /** The try that confirmed the request, until withSigner takes it. */
  first: Attempt | null;
  /** A try is running. */
  trying: boolean;
  /** "Remember this site", as the latest try said. */
  remember: boolean;
  release(): void;
}

const MAX_PATH = 300;
/** A deep element's path keeps its end, where the meaning is. */
const clipPath = (path: string): string => (path.length > MAX_PATH ? `…${path.slice(path.length - MAX_PATH + 1)}` : path);

function documentView(summary: DocumentSummary): SiteDocument {
  if (summary.kind !== 'xml') return summary;
  return { ...summary, lines: summary.lines.map((line) => ({ path: clipPath(line.path), text: line.text })) };
}

export function siteRequestView(request: ConfirmRequest, requestId: string): SiteRequest {
  const { key } = request;
  return {
    requestId,
    origin: request.origin,
    originStanding: request.originStanding,
    action: request.action,
    ...(request.format ? { format: request.format } : {}),
    ...(request.attached !== undefined ? { attached: request.attached } : {}),
    documents: request.documents.map(documentView),
    key: {
      ...(key.purpose ? { purpose: key.purpose } : {}),
      ...(key.iin ? { iin: key.iin } : {}),
      ...(key.bin ? { bin: key.bin } : {}),
      ...(key.storages ? { storages: key.storages.slice(0, 16) } : {}),
    },
    timestampRequested: request.timestampRequested,
  };
}

/** Failures the user can mend in the dialog: the key, its secret, its token. Anything else ends the request. */
const canTryAgain = (e: unknown): boolean => e instanceof AppFailure || (e instanceof Error && e.name === 'SigningError');

export class WindowUser implements NcaLayerUser {
  private pending: Pending | null = null;

  constructor(private readonly options: WindowUserOptions) {}

  activeTokens(): Promise<string[]> {
    return this.options.activeTokens();
  }

  async confirm(request: ConfirmRequest): Promise<ConfirmAnswer> {
    if (this.pending) throw new NcaLayerFailure('BUSY', 'Joldama is already showing a request to the user; try again when it is answered.');
    if (!this.options.windowOpen()) throw new NcaLayerFailure('NO_WINDOW', 'Joldama is running without its window; open it and try again.');
    const id = randomUUID();
    const onAbort = () => this.end(pending, true);
    const pending: Pending = {
      id,
      purpose: request.key.purpose,
      decide: null,
      nextTry: null,
      first: null,
      trying: false,
      remember: false,
      release: () => request.signal.removeEventListener('abort', onAbort),
    };
    const decided = new Promise<ConfirmAnswer>((resolve) => (pending.decide = resolve));
    this.pending = pending;
    request.signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.options.show(siteRequestView(request, id));
    } catch (e) {
      this.finish(pending);
      throw e;
    }
    return decided;
  }

  /** The window's answer; resolves once signed, rejects with what the dialog should show. */
  async answer(requestId: string, answer: SiteAnswer): Promise<void> {
    const pending = this.pending;
    if (!pending || pending.id !== requestId) throw new AppFailure('NCALAYER_REQUEST_UNKNOWN');
    if (answer.outcome !== 'confirmed') {
      if (pending.trying) throw new AppFailure('NCALAYER_REQUEST_UNKNOWN');
      // After a failed try the site has been told "confirmed" already: a refusal is a cancel then.
      pending.decide?.({ outcome: answer.outcome });
      pending.nextTry?.(null);
      this.finish(pending);
      return;
    }
    if (pending.trying) throw new AppFailure('NCALAYER_REQUEST_UNKNOWN');
    pending.trying = true;
    pending.remember = answer.rememberOrigin;
    const done = new Promise<void>((resolve, reject) => {
      const attempt: Attempt = { ref: answer.ref, secret: answer.secret, settle: (error) => (error ? reject(error) : resolve()) };
      if (pending.decide) {
        const decide = pending.decide;
        pending.decide = null;
        pending.first = attempt;
        decide({
          outcome: 'confirmed',
          get rememberOrigin() {
            return pending.remember;
          },
          withSigner: (use) => this.signWith(pending, use),
        });
      } else {
        const next = pending.nextTry!;
        pending.nextTry = null;
        next(attempt);
      }
    });
    try {
      await done;
    } finally {
      pending.trying = false;
    }
  }

  /** The window closed or the session ended: the request waiting for it is cancelled. */
  cancelPending(): void {
    if (this.pending) this.end(this.pending, true);
  }

  private async signWith<T>(pending: Pending, use: (signer: Signer) => Promise<T>): Promise<T> {
    let attempt = pending.first;
    pending.first = null;
    for (;;) {
      attempt ??= await new Promise<Attempt | null>((resolve) => (pending.nextTry = resolve));
      if (!attempt) throw new RequestCancelled();
      let fromRequest = false;
      try {
        const result = await this.options.withSigner(attempt.ref, attempt.secret, pending.purpose, async (signer) => {
          try {
            return await use(signer);
          } catch (e) {
            // The chosen key is not one the site asked for: another key may be.
            if (e instanceof NcaLayerFailure && e.code === 'KEY_NOT_ACCEPTED') throw new AppFailure('NCALAYER_KEY_NOT_ACCEPTED', e.message);
            fromRequest = true;
            throw e;
          }
        });
        attempt.settle(null);
        this.finish(pending);
        return result;
      } catch (e) {
        if (fromRequest || !canTryAgain(e)) {
          // The document could not be signed (the site's to mend): the site gets the failure.
          attempt.settle(new AppFailure('NCALAYER_SIGNING_FAILED'));
          this.finish(pending);
          throw e;
        }
        attempt.settle(e);
        attempt = null;
        // The request ended while the user read the error (the page left, the window closed).
        if (this.pending !== pending) throw new RequestCancelled();
      }
    }
  }

  /** Ends the request without the window's answer: the site is told it was cancelled. */
  private end(pending: Pending, tellWindow: boolean): void {
    if (this.pending !== pending) return;
    pending.decide?.({ outcome: 'cancelled' });
    pending.nextTry?.(null);
    this.finish(pending);
    if (tellWindow) this.options.closed(pending.id);
  }

  private finish(pending: Pending): void {
    pending.decide = null;
    pending.nextTry = null;
    pending.release();
    if (this.pending === pending) this.pending = null;
  }
}
