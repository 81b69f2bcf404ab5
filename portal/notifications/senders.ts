/**
 * Notification senders: SMTP e-mail (nodemailer, configured by environment), an SMS provider
 * interface, and the demo's file/console sender. A sender throws when delivery failed; the outbox
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

/** An SMS gateway (the operator's HTTP API); the portal ships none, deployments plug one in. */
export interface SmsProvider {
  sendSms(phone: string, text: string): Promise<void>;
}

export function smsSender(provider: SmsProvider): Sender {
  return { send: (m) => provider.sendSms(m.recipient, `${m.subject}: ${m.body}`) };
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
