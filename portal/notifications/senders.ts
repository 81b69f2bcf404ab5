/**
 * Notification senders: SMTP e-mail (nodemailer) and an HTTP SMS gateway, both configured by
 * environment, and the demo's file sender. A sender throws when delivery failed; the outbox
 * retries with backoff.
 */
import { appendFile } from 'node:fs/promises';
import nodemailer from 'nodemailer';

export interface OutgoingMessage {
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  body: string;
}

export interface Sender {
  send(message: OutgoingMessage): Promise<void>;
}

/**
 * SMS through an HTTP gateway from the environment: JOLDAMA_SMS_URL (https; the gateway or a
 * small adapter in front of the operator's API) receives `POST {"to": "+77…", "text": "…"}` as
 * JSON, with `Authorization: Bearer $JOLDAMA_SMS_TOKEN` when that is set; any answer but 2xx is a
 * failed delivery. Returns undefined when not configured.
 */
export function smsSenderFromEnv(env: NodeJS.ProcessEnv = process.env, fetchFn: typeof fetch = fetch): Sender | undefined {
  const url = env.JOLDAMA_SMS_URL;
  if (!url) return undefined;
  if (new URL(url).protocol !== 'https:') throw new Error('JOLDAMA_SMS_URL must be an https:// address');
  const token = env.JOLDAMA_SMS_TOKEN;
  return {
    async send(m) {
      const response = await fetchFn(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ to: m.recipient, text: `${m.subject}: ${m.body}` }),
        signal: AbortSignal.timeout(15_000),
        redirect: 'error',
      });
      if (!response.ok) throw new Error(`SMS gateway answered HTTP ${response.status}`);
    },
  };
}

/**
 * SMTP from the environment: JOLDAMA_SMTP_URL (smtp[s]://user:pass@host:port) and
 * JOLDAMA_MAIL_FROM. Returns undefined when not configured.
 */
export function smtpSenderFromEnv(env: NodeJS.ProcessEnv = process.env): Sender | undefined {
  const url = env.JOLDAMA_SMTP_URL;
  if (!url) return undefined;
  const transport = nodemailer.createTransport(url);
  const from = env.JOLDAMA_MAIL_FROM ?? 'Joldama <no-reply@joldama.local>';
  return {
    async send(m) {
      await transport.sendMail({ from, to: m.recipient, subject: m.subject, text: m.body });
    },
  };
}

/** Demo sender: appends each message as a JSON line to `file` (and logs it). */
export function fileSender(file: string, log?: (line: string) => void): Sender {
  return {
    async send(m) {
      const line = JSON.stringify({ at: new Date().toISOString(), ...m });
      await appendFile(file, `${line}\n`, 'utf8');
      log?.(line);
    },
  };
}
