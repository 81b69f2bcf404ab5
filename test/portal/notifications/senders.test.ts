import { describe, expect, it } from 'vitest';
import { smsSenderFromEnv } from '../../../portal/notifications/senders.ts';

const message = { channel: 'sms' as const, recipient: '+77011234567', subject: 'Жолдама', body: 'Код: 123456' };

describe('smsSenderFromEnv', () => {
  it('is absent when no gateway is configured, and refuses a plain-http gateway', () => {
    expect(smsSenderFromEnv({})).toBeUndefined();
    expect(() => smsSenderFromEnv({ JOLDAMA_SMS_URL: 'http://sms.example.kz/send' })).toThrow(/https/);
  });

  it('posts the number and the text as JSON, with the bearer token when set', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fetchFn = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(null, { status: 202 });
    }) as unknown as typeof fetch;
    const sender = smsSenderFromEnv({ JOLDAMA_SMS_URL: 'https://sms.example.kz/send', JOLDAMA_SMS_TOKEN: 't0k' }, fetchFn);
    await sender!.send(message);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('https://sms.example.kz/send');
    expect(JSON.parse(String(seen[0]!.init.body))).toEqual({ to: '+77011234567', text: 'Жолдама: Код: 123456' });
    expect((seen[0]!.init.headers as Record<string, string>).authorization).toBe('Bearer t0k');
  });

  it('reports a refused delivery so the outbox retries it', async () => {
    const fetchFn = (async () => new Response('busy', { status: 503 })) as unknown as typeof fetch;
    const sender = smsSenderFromEnv({ JOLDAMA_SMS_URL: 'https://sms.example.kz/send' }, fetchFn);
    await expect(sender!.send(message)).rejects.toThrow(/503/);
  });
});
