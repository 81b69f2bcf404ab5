/**
 * One request carried out: the site's standing, the user's answer, the chosen key checked, the
 * documents signed, the answer shaped as NCALayer shapes it. Transport-free: the server hands in
 * the origin and an abort signal and sends back what this returns.
 */
import { isSigningError, signCms, signXml, type Signer } from '../../signing/index.ts';
import { checkChosenKey } from './key-check.ts';
import { keyInfoOf } from './key-info.ts';
import type { OriginPolicy } from './origin-policy.ts';
import { COMMON_DONE, NcaLayerFailure, cancelled, success, type Reply } from './replies.ts';
import type { Job, SignJob } from './requests.ts';
import { summarize } from './summary.ts';
import { RequestCancelled, type ConfirmRequest, type NcaLayerUser } from './user.ts';

export interface OperationContext {
  origin: string;
  policy: OriginPolicy;
  user: NcaLayerUser;
  /** Aborted when the connection closes. */
  signal: AbortSignal;
  /** One dialog at a time for all pages: a release function, or undefined while one is open. */
  openDialog(): (() => void) | undefined;
  now(): Date;
}

async function signAll(job: SignJob, signer: Signer): Promise<unknown> {
  try {
    switch (job.format) {
      case 'xml': {
        const signed: string[] = [];
        for (const xml of job.documents) signed.push(await signXml(xml, signer));
        return job.answer(signed);
      }
      case 'cms': {
        const signatures: Buffer[] = [];
        for (const document of job.documents) signatures.push(await signCms(document, signer, { attached: job.attached }));
        return job.answer(signatures);
      }
      case 'raw': {
        const signatures: Buffer[] = [];
        for (const data of job.documents) signatures.push(await signer.sign(data));
        return job.answer(signatures, signer.certificate());
      }
    }
  } catch (e) {
    // A document signXml refuses (malformed, a repeated ID) is the site's to fix: say why.
    if (isSigningError(e)) throw new NcaLayerFailure(e.code, e.message);
    throw e;
  }
}

function refusedFor(policy: OriginPolicy, origin: string, now: Date): NcaLayerFailure {
  const until = policy.refusedUntilTime(origin) ?? now.getTime();
  const minutes = Math.max(1, Math.ceil((until - now.getTime()) / 60_000));
  return new NcaLayerFailure(
    'ORIGIN_REFUSED',
    `The user refused requests from this site in Joldama; ask again in ${minutes} min.`,
  );
}

export async function perform(job: Job, context: OperationContext): Promise<Reply> {
  const { origin, policy, user } = context;
  const standing = policy.standing(origin);
  if (standing === 'refused') throw refusedFor(policy, origin, context.now());
  if (job.kind === 'changeLocale') return COMMON_DONE;
  if (job.kind === 'activeTokens') return success('common', await user.activeTokens());

  const request: ConfirmRequest =
    job.kind === 'sign'
      ? {
          origin,
          originStanding: standing,
          action: 'sign',
          format: job.format,
          ...(job.format === 'cms' ? { attached: job.attached } : {}),
          documents: summarize(job),
          key: job.key.filter,
          timestampRequested: job.timestampRequested,
          locale: job.locale,
          signal: context.signal,
        }
      : {
          origin,
          originStanding: standing,
          action: 'keyInfo',
          documents: [],
          key: job.key.filter,
          timestampRequested: false,
          locale: job.locale,
          signal: context.signal,
        };

  const release = context.openDialog();
  if (!release) throw new NcaLayerFailure('BUSY', 'Joldama is already showing a request to the user; try again when it is answered.');
  let answer;
  try {
    answer = await user.confirm(request);
  } finally {
    release();
  }

  switch (answer.outcome) {
    case 'refused':
      policy.refuse(origin);
      return cancelled(job.style);
    case 'cancelled':
      return cancelled(job.style);
    case 'confirmed': {
      try {
        const result = await answer.withSigner(async (signer) => {
          checkChosenKey(signer.certificate(), job.key, context.now());
          return job.kind === 'sign' ? signAll(job, signer) : keyInfoOf(signer.certificate());
        });
        // Read once signed: the user may tick it between a failed try and the one that worked.
        if (answer.rememberOrigin) policy.remember(origin);
        return success(job.style, result);
      } catch (e) {
        if (e instanceof RequestCancelled) return cancelled(job.style);
        throw e;
      }
    }
  }
}
