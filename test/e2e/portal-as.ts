/**
 * Someone else at the demo portal, over its HTTP API with a demo person's keys (signed exactly as
 * the app signs): another applicant taking a place first, a kindergarten head publishing one.
 */
import path from 'node:path';
import { buildLoginXml, buildReferralRequestXml } from '../../protocol/signed-documents.ts';
import { fileSigner, openKeyStore, signXml } from '../../signing/index.ts';
import type { E2eInfo } from './env.ts';

interface Person {
  iin: string;
  role?: string;
}

async function sign(info: E2eInfo, who: Person, purpose: 'AUTH' | 'SIGN', xml: string): Promise<string> {
  const key = info.index.keys.find((k) => k.iin === who.iin && k.purposes.includes(purpose) && (!who.role || k.role === who.role));
  if (!key) throw new Error(`no ${purpose} key for ${who.iin}`);
  const [opened] = await openKeyStore(path.join(info.demoKeysFolder, key.file), info.index.password);
  if (!opened) throw new Error(`no key in ${key.file}`);
  return signXml(xml, fileSigner(opened));
}

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json()) as T;
  if (!response.ok) throw new Error(`portal answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** A bearer token for the person (the applicant login, or the staff login for a head). */
export async function loginAs(info: E2eInfo, who: Person, staff = false): Promise<string> {
  const challenge = await json<{ nonce: string; origin: string; issuedAt: string }>(
    await fetch(`${info.portalUrl}/api/auth/challenge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
  );
  const signedXml = await sign(info, who, 'AUTH', buildLoginXml({ nonce: challenge.nonce, origin: challenge.origin, timestamp: challenge.issuedAt }));
  const { token } = await json<{ token: string }>(
    await fetch(`${info.portalUrl}/api/${staff ? 'staff/' : ''}auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ signedXml }),
    }),
  );
  return token;
}

const authed = (token: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...init.headers },
});

interface JournalEntry {
  id: string;
  number: string;
  status: string;
}

async function applications(info: E2eInfo, token: string): Promise<JournalEntry[]> {
  return (await json<{ items: JournalEntry[] }>(await fetch(`${info.portalUrl}/api/applications?pageSize=100`, authed(token)))).items;
}

/** The applicant takes the named place (their application whose places include it). */
export async function takePlace(info: E2eInfo, who: Person, offerId: string): Promise<void> {
  const token = await loginAs(info, who);
  for (const row of await applications(info, token)) {
    const places = await json<{ asOf: string; items: Array<{ offerId: string; kindergartenId: string; name: string; address: string; language: string }> }>(
      await fetch(`${info.portalUrl}/api/applications/${row.id}/vacancies`, authed(token)),
    );
    const place = places.items.find((p) => p.offerId === offerId);
    if (!place) continue;
    const card = await json<{ id: string; application: { number: string }; child: { iin: string }; applicant: { iin: string } }>(
      await fetch(`${info.portalUrl}/api/applications/${row.id}`, authed(token)),
    );
    const xml = buildReferralRequestXml({
      applicationNumber: card.application.number,
      applicationId: card.id,
      offerId: place.offerId,
      kindergartenId: place.kindergartenId,
      kindergartenName: place.name,
      kindergartenAddress: place.address,
      language: place.language,
      childIin: card.child.iin,
      applicantIin: card.applicant.iin,
      // Dated by the portal's clock, as the app does (the portal refuses a request far from it; the deadline spec moves it).
      requestedAt: places.asOf,
    });
    const signedXml = await sign(info, who, 'SIGN', xml);
    await json(await fetch(`${info.portalUrl}/api/applications/${row.id}/referral`, authed(token, { method: 'POST', body: JSON.stringify({ signedXml }) })));
    return;
  }
  throw new Error(`${who.iin} has no application that may take place ${offerId}`);
}

/** A kindergarten head publishes a place (offered to the next eligible child of the group year). */
export async function publishPlace(info: E2eInfo, head: Person, groupYear: number, category: string): Promise<void> {
  const token = await loginAs(info, { ...head, role: 'head' }, true);
  await json(await fetch(`${info.portalUrl}/api/staff/vacancies`, authed(token, { method: 'POST', body: JSON.stringify({ groupYear, category }) })));
}

/** The person's applications as the portal's journal lists them (newest first). */
export async function journalOf(info: E2eInfo, who: Person): Promise<JournalEntry[]> {
  return applications(info, await loginAs(info, who));
}

/** The applicant takes an application out of the queue herself, elsewhere (the web portal, another computer). */
export async function dequeueElsewhere(info: E2eInfo, who: Person, applicationId: string, reason: string): Promise<void> {
  const token = await loginAs(info, who);
  await json(await fetch(`${info.portalUrl}/api/applications/${applicationId}/dequeue`, authed(token, { method: 'POST', body: JSON.stringify({ reason }) })));
}
