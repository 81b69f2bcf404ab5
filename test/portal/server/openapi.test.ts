/**
 * /openapi.json carries the main bodies as shared components (components.schemas) and the routes
 * reference them with $ref: request bodies as `<Name>Input`, responses as `<Name>`, nested bodies
 * as refs too; every reference resolves and every component is reached; parameters stay inline.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPortal, type TestPortal } from './helpers.ts';
import { stubVerifier } from './stub-verifier.ts';

interface Operation {
  parameters?: Array<{ in: string; name: string; schema: object }>;
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
}
interface OpenApi {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { properties?: Record<string, object>; required?: string[] }> };
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const refsIn = (value: unknown) =>
  [...JSON.stringify(value).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);

describe('OpenAPI document', () => {
  let portal: TestPortal;
  let doc: OpenApi;
  beforeAll(async () => {
    portal = await startTestPortal(stubVerifier());
    const res = await portal.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json<OpenApi>();
  });
  afterAll(() => portal?.close());

  it('lists the main bodies under components.schemas', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'ErrorBody',
        'LoginRequestInput',
        'LoginResponse',
        'Me',
        'JournalPage',
        'JournalRow',
        'ApplicationCard',
        'ReferralRequestInput',
        'ReferralResult',
        'FeedResponse',
        'StaffLoginResponse',
        'PublishVacancyRequestInput',
        'PublishedVacanciesResponse',
        'WithdrawVacancyRequestInput',
        'WithdrawVacancyResponse',
      ]),
    );
    expect(doc.components.schemas.ErrorBody).toMatchObject({
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' } },
      required: ['code', 'message'],
    });
  });

  it('references them from the routes: request bodies, responses and nested bodies', () => {
    const login = doc.paths['/api/auth/login']?.post;
    expect(login?.requestBody?.content['application/json']?.schema).toEqual(ref('LoginRequestInput'));
    expect(login?.responses['200']?.content?.['application/json']?.schema).toEqual(ref('LoginResponse'));
    expect(login?.responses['401']?.content?.['application/json']?.schema).toEqual(ref('ErrorBody'));
    expect(doc.components.schemas.LoginResponse?.properties?.me).toEqual(ref('Me'));
    expect(doc.components.schemas.JournalPage?.properties?.items).toEqual({
      type: 'array',
      items: ref('JournalRow'),
    });

    const withdraw = doc.paths['/api/staff/vacancies/{vacancyId}/withdraw']?.post;
    expect(withdraw?.requestBody?.content['application/json']?.schema).toEqual(
      ref('WithdrawVacancyRequestInput'),
    );
    expect(withdraw?.responses['200']?.content?.['application/json']?.schema).toEqual(
      ref('WithdrawVacancyResponse'),
    );
  });

  it('gives every JSON body of every route as a reference (a new body must be listed in openapi-components.ts)', () => {
    const inline: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        const bodies: Array<[string, object | undefined]> = [
          ['request', op.requestBody?.content['application/json']?.schema],
          ...Object.entries(op.responses).map(([code, r]): [string, object | undefined] => [
            code,
            r.content?.['application/json']?.schema,
          ]),
        ];
        for (const [which, schema] of bodies)
          if (schema && !('$ref' in schema)) inline.push(`${method} ${path} ${which}`);
      }
    }
    expect(inline).toEqual([]);
    expect(Object.keys(doc.paths).length).toBeGreaterThan(20);
  });

  it('keeps querystring and path parameters inline', () => {
    const journal = doc.paths['/api/applications']?.get;
    expect(journal?.parameters?.map((p) => [p.in, p.name])).toEqual([
      ['query', 'page'],
      ['query', 'pageSize'],
      ['query', 'status'],
    ]);
    expect(refsIn(journal?.parameters)).toEqual([]);
    expect(doc.paths['/api/staff/vacancies/{vacancyId}/withdraw']?.post?.parameters).toEqual([
      expect.objectContaining({ in: 'path', name: 'vacancyId', required: true }),
    ]);
  });

  it('resolves every reference, and holds no component that nothing references', () => {
    const names = new Set(Object.keys(doc.components.schemas));
    const referenced = new Set(refsIn(doc));
    for (const name of referenced) expect(names, name).toContain(name);
    for (const name of names) expect(referenced, name).toContain(name);
    expect(names).not.toContain('ErrorBodyInput'); // ErrorBody is never a request body
  });
});
