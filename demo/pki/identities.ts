/**
 * Fixed demo people for the demo PKI and the portal's demo seed: same IINs/BINs everywhere,
 * so a demo key logs in as a seeded applicant, kindergarten head or PMPK commission head. All numbers are valid
 * (check digit, birth date) but invented; test/demo/pki-generate.test.ts asserts their validity.
 */
import type { Role } from '../../signing/types.ts';

export type DemoKeyStatus = 'valid' | 'expired' | 'revoked';

export interface DemoOrganization {
  /** Full legal name, as in the certificate's O. */
  name: string;
  /** 12 digits, without the "BIN" prefix. */
  bin: string;
}

export interface DemoIdentity {
  /** Folder name under keys/ (Latin, lower-case). */
  slug: string;
  /** Cyrillic, upper-case, as NCA writes names. */
  surname: string;
  name: string;
  patronymic: string;
  iin: string;
  birthDate: string;
  sex: 'male' | 'female';
  role: Extract<Role, 'individual' | 'head'>;
  organization?: DemoOrganization;
  /** What the demo PKI makes of this person's certificates. */
  status: DemoKeyStatus;
}

/** The demo correctional kindergarten whose head holds a legal-entity key. */
export const DEMO_KINDERGARTEN: DemoOrganization = {
  name: 'АЛМАТЫ ҚАЛАСЫНЫҢ № 145 АРНАЙЫ (ТҮЗЕТУ) БАЛАБАҚШАСЫ КМҚК',
  bin: '050540000145',
};

/** The demo PMPK commission (№ 1 in the demo seed) whose head holds a legal-entity key. */
export const DEMO_COMMISSION: DemoOrganization = {
  name: 'АЛМАТЫ ҚАЛАСЫНЫҢ № 1 ПСИХОЛОГИЯЛЫҚ-МЕДИЦИНАЛЫҚ-ПЕДАГОГИКАЛЫҚ КОНСУЛЬТАЦИЯСЫ КММ',
  bin: '070840000131',
};

export const DEMO_IDENTITIES: readonly DemoIdentity[] = [
  {
    slug: 'zhanbyrbayeva-aigul',
    surname: 'ЖАНБЫРБАЕВА',
    name: 'АЙГҮЛ',
    patronymic: 'СЕРІКҚЫЗЫ',
    iin: '880314401231',
    birthDate: '1988-03-14',
    sex: 'female',
    role: 'individual',
    status: 'valid',
  },
  {
    slug: 'abilov-dauren',
    surname: 'ӘБІЛОВ',
    name: 'ДӘУРЕН',
    patronymic: 'ЕРЛАНҰЛЫ',
    iin: '900702304562',
    birthDate: '1990-07-02',
    sex: 'male',
    role: 'individual',
    status: 'valid',
  },
  {
    slug: 'nurlanova-gulnar',
    surname: 'НҰРЛАНОВА',
    name: 'ГҮЛНАР',
    patronymic: 'АСҚАРҚЫЗЫ',
    iin: '951120407899',
    birthDate: '1995-11-20',
    sex: 'female',
    role: 'individual',
    status: 'valid',
  },
  {
    slug: 'sarsenbayev-askhat',
    surname: 'СӘРСЕНБАЕВ',
    name: 'АСХАТ',
    patronymic: 'ТАЛҒАТҰЛЫ',
    iin: '850109303211',
    birthDate: '1985-01-09',
    sex: 'male',
    role: 'individual',
    status: 'valid',
  },
  {
    slug: 'omarova-zhanar',
    surname: 'ОМАРОВА',
    name: 'ЖАНАР',
    patronymic: 'БОЛАТҚЫЗЫ',
    iin: '750505406541',
    birthDate: '1975-05-05',
    sex: 'female',
    role: 'head',
    organization: DEMO_KINDERGARTEN,
    status: 'valid',
  },
  {
    slug: 'kasymov-berik',
    surname: 'ҚАСЫМОВ',
    name: 'БЕРІК',
    patronymic: 'НҰРЛАНҰЛЫ',
    iin: '801212309879',
    birthDate: '1980-12-12',
    sex: 'male',
    role: 'individual',
    status: 'revoked',
  },
  {
    slug: 'tolegenova-madina',
    surname: 'ТӨЛЕГЕНОВА',
    name: 'МАДИНА',
    patronymic: 'ҒАЛЫМҚЫЗЫ',
    iin: '920430402469',
    birthDate: '1992-04-30',
    sex: 'female',
    role: 'individual',
    status: 'expired',
  },
  // Last, so the kindergarten head stays the first key of role 'head'.
  {
    slug: 'isayeva-saule',
    surname: 'ИСАЕВА',
    name: 'СӘУЛЕ',
    patronymic: 'МАРАТҚЫЗЫ',
    iin: '780921403217',
    birthDate: '1978-09-21',
    sex: 'female',
    role: 'head',
    organization: DEMO_COMMISSION,
    status: 'valid',
  },
];

/** The certificate CN of an identity: "SURNAME NAME" as NCA writes it. */
export function demoCommonName(identity: DemoIdentity): string {
  return `${identity.surname} ${identity.name}`;
}
