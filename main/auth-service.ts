/**
 * Certificate login and the session, kept in main. Login: the key is opened and checked locally
 * (validity, AUTH purpose) before the portal is contacted; the portal's challenge is signed as the
 * login document and submitted; the token stays here. A lapsed session (SESSION_EXPIRED) clears
 * the token and is announced (`onExpired`, the 'session.ended' event); the renderer keeps its own
 * state and sends the user to login. Logout forgets it all.
 */
import { buildLoginXml } from '../protocol/signed-documents.ts';
import type { User } from '../contract/contract.ts';
import { AppFailure } from './errors.ts';
import type { PortalClient, PortalUser } from './portal-client.ts';
import type { SigningService } from './signing-service.ts';

interface Session {
  token: string;
  user: User;
}

function toUser(me: PortalUser): User {
  return { commonName: me.fullName.slice(0, 1024), iin: me.iin, email: me.email, needsEmail: me.needsEmail };
}

export class AuthService {
  private current: Session | null = null;

  constructor(
    private readonly signing: SigningService,
    private readonly portal: PortalClient,
    private readonly onExpired: () => void = () => {},
  ) {}

  /** The logged-in applicant's IIN, or null. */
  get currentIin(): string | null {
    return this.current?.user.iin ?? null;
  }

  async login(file: string, keyIndex: number, password: string): Promise<User> {
    const { token, me } = await this.signing.withKey(file, keyIndex, password, { purpose: 'AUTH' }, async (sign) => {
      const challenge = await this.portal.challenge();
      // Dated on the portal's clock, as the challenge gives it: the computer's own clock may be off.
      const xml = buildLoginXml({ nonce: challenge.nonce, origin: challenge.origin, timestamp: challenge.issuedAt });
      return this.portal.login(await sign(xml));
    });
    const previous = this.current;
    this.current = { token, user: toUser(me) };
    // A second login replaces the first session: end the old one at the portal (best effort).
    if (previous) await this.portal.logout(previous.token).catch(() => undefined);
    return this.current.user;
  }

  /** The session's user, refreshed from the portal; null when there is none or it lapsed. */
  async session(): Promise<User | null> {
    if (!this.current) return null;
    try {
      const user = toUser(await this.portal.me(this.current.token));
      this.current = { ...this.current, user };
      return user;
    } catch (e) {
      if (e instanceof AppFailure && e.code === 'SESSION_EXPIRED') {
        this.expire(this.current);
        return null;
      }
      throw e;
    }
  }

  async setEmail(email: string): Promise<User> {
    const user = await this.authed(async (token) => toUser(await this.portal.setEmail(token, email)));
    if (this.current) this.current = { ...this.current, user };
    return user;
  }

  /** Tell the portal (best effort) and forget the session whatever it answers. */
  async logout(): Promise<void> {
    const session = this.current;
    this.current = null;
    if (session) await this.portal.logout(session.token).catch(() => undefined);
  }

  /** The bearer token for other portal calls (cabinet, referrals); NOT_LOGGED_IN without one. */
  async authed<T>(call: (token: string) => Promise<T>): Promise<T> {
    const session = this.current;
    if (!session) throw new AppFailure('NOT_LOGGED_IN');
    try {
      return await call(session.token);
    } catch (e) {
      if (e instanceof AppFailure && e.code === 'SESSION_EXPIRED') this.expire(session);
      throw e;
    }
  }

  /** The portal no longer knows this session: forget it (unless another login replaced it meanwhile) and say so once. */
  private expire(session: Session | null): void {
    if (!session || this.current !== session) return;
    this.current = null;
    this.onExpired();
  }
}
