/**
 * What main trusts when it checks a certificate or a signature itself (a listed key's revocation
 * status, the verification report of a downloaded document): the trust store the settings name
 * (the NCA production roots; plus the demo CA of the demo keys folder, or the NCA test roots, when
 * chosen), loaded once per choice, and one revocation checker for the app's lifetime, so OCSP
 * answers and CRLs are reused until their nextUpdate.
 */
import type { X509Certificate } from 'node:crypto';
import path from 'node:path';
import type { RevocationChecker, TrustStore, VerificationReport } from '../signing/index.ts';
import type { KeyRevocation, TrustStoreChoice } from '../contract/contract.ts';

type Signing = typeof import('../signing/index.ts');

export interface TrustServiceOptions {
  /** The current choice (settings may change it while the app runs). */
  choice: () => TrustStoreChoice;
  /** Demo: the demo keys folder, whose ca/ holds the demo CA. */
  demoKeysFolder?: string;
  clock?: () => Date;
}

export class TrustService {
  private signing: Promise<Signing> | undefined;
  private checker: RevocationChecker | undefined;
  private readonly stores = new Map<TrustStoreChoice, Promise<TrustStore>>();

  constructor(private readonly options: TrustServiceOptions) {}

  /** signing/ loaded on first use: the app starts (settings, UI) even if loading fails. */
  private lib(): Promise<Signing> {
    return (this.signing ??= import('../signing/index.ts'));
  }

  private async revocationChecker(): Promise<RevocationChecker> {
    const { createRevocationChecker } = await this.lib();
    return (this.checker ??= createRevocationChecker(this.options.clock ? { clock: this.options.clock } : {}));
  }

  trustStore(): Promise<TrustStore> {
    const choice = this.options.choice();
    let store = this.stores.get(choice);
    if (!store) {
      const extra = choice === 'production+demo' && this.options.demoKeysFolder ? [path.join(this.options.demoKeysFolder, 'ca')] : [];
      store = this.lib().then(({ loadTrustStore }) => loadTrustStore({ ncaTest: choice === 'production+nca-test', extra }));
      // A failed load is not remembered: the next call tries again.
      store.catch(() => this.stores.delete(choice));
      this.stores.set(choice, store);
    }
    return store;
  }

  /** Revocation status of a certificate now: good, revoked, unknown (no answer) or untrusted (no path to a trusted root). */
  async revocationOf(certificate: X509Certificate, extraCertificates: X509Certificate[] = []): Promise<KeyRevocation> {
    const [{ validateCertificate }, trust, checker] = await Promise.all([this.lib(), this.trustStore(), this.revocationChecker()]);
    const result = await validateCertificate(certificate, {
      trust,
      extraCertificates,
      revocation: { checker },
      ...(this.options.clock ? { at: this.options.clock() } : {}),
    });
    if (result.revocation === 'good' || result.revocation === 'revoked') return result.revocation;
    if (result.chain.length === 0) return 'untrusted';
    return 'unknown';
  }

  /** verifyXml with this trust store and revocation cache. */
  async verify(xml: string): Promise<VerificationReport> {
    const [{ verifyXml }, trust, checker] = await Promise.all([this.lib(), this.trustStore(), this.revocationChecker()]);
    return verifyXml(xml, { trust, revocation: { checker }, ...(this.options.clock ? { at: this.options.clock() } : {}) });
  }
}
