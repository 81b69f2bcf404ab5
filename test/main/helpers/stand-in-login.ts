/**
 * A portal and a signing service that let AuthService log in without keys or a server: the login
 * document is "signed" as itself, the portal answers an applicant session. For the tests of what
 * happens to a session afterwards (its medium or token removed).
 */
import type { PortalClient } from '../../../main/portal-client.ts';
import type { SigningService } from '../../../main/signing-service.ts';

const ME = { fullName: 'ТЕСТОВ ТЕСТ', iin: '900101300015', email: null, needsEmail: false };

/** `logouts` collects the session tokens logged out; each login's token counts them. */
export function standInPortal(logouts: string[]): PortalClient {
  return {
    origin: () => 'https://portal.test',
    challenge: async () => ({ nonce: 'n'.repeat(43), origin: 'https://portal.test', issuedAt: '2026-12-01T00:00:00.000Z' }),
    login: async () => ({ token: `session-${logouts.length}`, me: ME }),
    me: async () => ME,
    logout: async (token: string) => {
      logouts.push(token);
    },
  } as unknown as PortalClient;
}

/** An individual's key (no BIN): AuthService takes the applicant login. */
export function standInSigning(): SigningService {
  type Use = (sign: (xml: string) => Promise<string>, key: { info: { bin?: string } }) => Promise<unknown>;
  return { withKey: async (_ref: unknown, _secret: string, _options: unknown, use: Use) => use(async (xml) => xml, { info: {} }) } as unknown as SigningService;
}
