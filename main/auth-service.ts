/**
 * Certificate login and the session, kept in main. Login: the key is opened and checked locally
 * (validity, AUTH purpose) before the portal is contacted; the portal's challenge is signed as the
 * login document (only when its origin is the configured portal's: a portal asking for another
 * site's login would relay it there) and submitted; the token stays here, bound to the portal
 * origin that issued it. A lapsed session (SESSION_EXPIRED) or a changed portal address ends the
 * session and is announced (`onEnded`, the 'session.ended' event); the token never goes to
 * another origin. The renderer keeps its own state and sends the user to login. Logout forgets it all.
 * A session opened with a token key ends when that token is removed (`tokensPresent`, from the
 * token watcher; reason 'token-removed'): on a shared kiosk, pulling the token out logs out.
 * Likewise a session opened with a key file on a removable medium ends when the medium is removed
 * (key-medium.ts; reason 'medium-removed'); its watcher stops with the session.
 * A legal-entity key (a BIN in its certificate) logs in at the staff login instead; the app serves
 * only a PMPK commission's staff (docs/pmpk.md, Conclusions), so a kindergarten's staff session is
 * ended at once (AUTH_NOT_COMMISSION). Such a session opens only the commission's calls
 * (`staffAuthed`), and the applicant's calls refuse it (NOT_LOGGED_IN) rather than sending its
 * token to the applicant's routes.
 */
import { buildLoginXml } from '../protocol/signed-documents.ts';
import { isValidIin } from '../signing/index.ts';
import type { KeyRef, User } from '../contract/contract.ts';
import { AppFailure } from './errors.ts';
import { originOf } from './portal-address.ts';
import type { MediumWatch, WatchKeyFile } from './key-medium.ts';
import type { PortalClient, PortalUser } from './portal-client.ts';
import type { StaffMe } from '../protocol/staff-api.ts';
import type { SigningService } from './signing-service.ts';

interface Session {
  token: string;
  user: User;
  /** The portal origin that issued the token. */
  origin: string;
  /** The fingerprint of the hardware token whose key logged in, if it was a token key. */
  keyToken?: string;
  /** Watches the removable medium holding the login key file, if it came from one. */
  keyMedium?: MediumWatch;
  /** A PMPK commission's staff session (staff routes), not an applicant's. */
  staff?: true;
}

export type SessionEndReason = 'expired' | 'portal-changed' | 'token-removed' | 'medium-removed';

function toUser(me: PortalUser): User {
  return { commonName: me.fullName.slice(0, 1024), iin: me.iin, email: me.email, needsEmail: me.needsEmail };
}

/** A commission's staff member as the app's user; null for a kindergarten's staff. */
function staffUser(me: StaffMe): User | null {
  if (me.commissionId === undefined) return null;
  return {
    commonName: me.fullName.slice(0, 1024),
    iin: me.iin,
    email: null,
    needsEmail: false,
    commission: { name: (me.commissionName ?? me.bin).slice(0, 1024), nameRu: me.commissionNameRu?.slice(0, 1024) ?? null, bin: me.bin },
  };
}

export class AuthService {
  private current: Session | null = null;

  constructor(
    private readonly signing: SigningService,
    private readonly portal: PortalClient,
    private readonly onEnded: (reason: SessionEndReason) => void = () => {},
    /** Watches a login key file's removable medium (none: key files are not watched). */
    private readonly watchKeyFile?: WatchKeyFile,
    /**
     * An applicant's session has begun, by any login: awaited before the login is answered, so
     * what it does (the cabinet watch's baseline, cabinet-watch.ts) comes before the window's first call.
     */
    private readonly onStarted: () => Promise<void> = async () => {},
  ) {}

  /** The logged-in applicant's IIN, or null. */
  get currentIin(): string | null {
    return this.current?.user.iin ?? null;
  }

  async login(ref: KeyRef, secret: string): Promise<User> {
    const origin = this.portal.origin();
    const login = await this.signing.withKey(ref, secret, { purpose: 'AUTH' }, async (sign, key) => {
      const challenge = await this.portal.challenge();
      if (originOf(challenge.origin) !== origin) throw new AppFailure('AUTH_WRONG_ORIGIN', 'the portal asked to sign a login for another site');
      // Dated on the portal's clock, as the challenge gives it: the computer's own clock may be off.
      const xml = buildLoginXml({ nonce: challenge.nonce, origin: challenge.origin, timestamp: challenge.issuedAt });
      if (!key.info.bin) return { applicant: await this.portal.login(await sign(xml)) };
      return { staff: await this.portal.staffLogin(await sign(xml)) };
    });
    const keyToken = ref.kind === 'token' ? ref.token : undefined;
    const user = login.applicant
      ? await this.adopt(login.applicant, origin, keyToken)
      : await this.adoptStaff(login.staff, origin, keyToken);
    if (ref.kind === 'file') await this.watchMedium(ref.path);
    return user;
  }

  /** The current session ends when the medium holding its key file goes (key files on a fixed disk: nothing). */
  private async watchMedium(file: string): Promise<void> {
    const session = this.current;
    if (!session || !this.watchKeyFile) return;
    const watch = await this.watchKeyFile(file, () => void this.mediumRemoved(session));
    if (!watch) return;
    // The session may have ended or been replaced while the medium was looked up.
    if (this.current !== session) return watch.stop();
    session.keyMedium = watch;
  }

  private async mediumRemoved(session: Session): Promise<void> {
    if (this.current !== session) return;
    this.end(session, 'medium-removed');
    await this.tellPortalLogout(session);
  }

  /**
   * IIN + password, step 1 (docs/cabinet.md): the IIN's check digit is checked here (IIN_INVALID)
   * before the portal is asked whether to expect the password or, at the first login, an SMS code.
   */
  async passwordStart(iin: string): Promise<{ step: 'password' | 'sms_code'; phoneHint: string | null }> {
    if (!isValidIin(iin)) throw new AppFailure('IIN_INVALID');
    return this.portal.passwordStart(iin);
  }

  /**
   * First login: the SMS code and the new reusable password; later logins: the password. The
   * password goes straight into the request body: main keeps no copy and never logs it.
   */
  async passwordCreate(iin: string, code: string, password: string): Promise<User> {
    if (!isValidIin(iin)) throw new AppFailure('IIN_INVALID');
    const origin = this.portal.origin();
    return this.adopt(await this.portal.passwordSet(iin, code, password), origin);
  }

  async passwordLogin(iin: string, password: string): Promise<User> {
    if (!isValidIin(iin)) throw new AppFailure('IIN_INVALID');
    const origin = this.portal.origin();
    return this.adopt(await this.portal.passwordLogin(iin, password), origin);
  }

  /**
   * A new session from the portal replaces the current one (ended at the portal, best effort).
   * `keyToken`: the token holding the login key, whose removal ends the session.
   */
  private async adopt(login: { token: string; me: PortalUser }, origin: string, keyToken?: string): Promise<User> {
    const previous = this.current;
    previous?.keyMedium?.stop();
    const session: Session = { token: login.token, user: toUser(login.me), origin, ...(keyToken ? { keyToken } : {}) };
    this.current = session;
    if (previous) await this.tellPortalLogout(previous);
    await this.onStarted();
    return session.user;
  }

  /** A commission's staff session replaces the current one; a kindergarten's is ended at the portal and refused. */
  private async adoptStaff(login: { token: string; staff: StaffMe }, origin: string, keyToken?: string): Promise<User> {
    const user = staffUser(login.staff);
    if (!user) {
      await this.portal.staffLogout(login.token).catch(() => undefined);
      throw new AppFailure('AUTH_NOT_COMMISSION');
    }
    const previous = this.current;
    previous?.keyMedium?.stop();
    this.current = { token: login.token, user, origin, staff: true, ...(keyToken ? { keyToken } : {}) };
    if (previous) await this.tellPortalLogout(previous);
    return user;
  }

  /** The session's user, refreshed from the portal; null when there is none or it lapsed. */
  async session(): Promise<User | null> {
    const session = this.bound();
    if (!session) return null;
    try {
      const user = session.staff ? (staffUser(await this.portal.staffMe(session.token)) ?? session.user) : toUser(await this.portal.me(session.token));
      if (this.current === session) session.user = user;
      return user;
    } catch (e) {
      if (e instanceof AppFailure && e.code === 'SESSION_EXPIRED') {
        this.end(session, 'expired');
        return null;
      }
      throw e;
    }
  }

  async setEmail(email: string): Promise<User> {
    const user = await this.authed(async (token) => toUser(await this.portal.setEmail(token, email)));
    if (this.current) this.current.user = user;
    return user;
  }

  /** Tell the portal (best effort) and forget the session whatever it answers. */
  async logout(): Promise<void> {
    const session = this.current;
    this.current = null;
    session?.keyMedium?.stop();
    if (session) await this.tellPortalLogout(session);
  }

  /** The tokens now plugged in (by fingerprint): a session whose key's token left ends, at the portal too. */
  async tokensPresent(present: ReadonlySet<string>): Promise<void> {
    const session = this.current;
    if (!session?.keyToken || present.has(session.keyToken)) return;
    this.end(session, 'token-removed');
    await this.tellPortalLogout(session);
  }

  /** The bearer token for other portal calls (cabinet, referrals); NOT_LOGGED_IN without an applicant's session. */
  async authed<T>(call: (token: string) => Promise<T>): Promise<T> {
    return this.withSession(false, call);
  }

  /** The bearer token for the commission's calls; NOT_LOGGED_IN without a commission staff session. */
  async staffAuthed<T>(call: (token: string) => Promise<T>): Promise<T> {
    return this.withSession(true, call);
  }

  private async withSession<T>(staff: boolean, call: (token: string) => Promise<T>): Promise<T> {
    const session = this.bound();
    if (!session || Boolean(session.staff) !== staff) throw new AppFailure('NOT_LOGGED_IN');
    try {
      return await call(session.token);
    } catch (e) {
      if (e instanceof AppFailure && e.code === 'SESSION_EXPIRED') this.end(session, 'expired');
      throw e;
    }
  }

  /** The current session if the portal's address is still the one that issued it; else it ends here. */
  private bound(): Session | null {
    const session = this.current;
    if (session && session.origin !== this.portal.origin()) {
      this.end(session, 'portal-changed');
      return null;
    }
    return session;
  }

  /** Logout at the portal that issued the token (best effort); never at another address. */
  private async tellPortalLogout(session: Session): Promise<void> {
    if (session.origin !== this.portal.origin()) return;
    const logout = session.staff ? this.portal.staffLogout(session.token) : this.portal.logout(session.token);
    await logout.catch(() => undefined);
  }

  /** Forget the session (unless another login replaced it meanwhile) and say so once. */
  private end(session: Session, reason: SessionEndReason): void {
    if (this.current !== session) return;
    this.current = null;
    session.keyMedium?.stop();
    this.onEnded(reason);
  }
}
