/**
 * The queue's NotificationSink, backed by the outbox: inside the queue's transaction it writes
 * one message per channel the applicant chose (SMS / e-mail, Kazakh / Russian), plus an event
 * in the applicant's feed (the application history the data side records).
 */
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { NotificationRequest, NotificationSink } from '../queue/notifications.ts';
import { enqueueMessage } from './outbox.ts';
import { renderMessage } from './messages.ts';
import { notificationPhones } from './recipients.ts';

const ALMATY_DATE = new Intl.DateTimeFormat('ru-RU', { timeZone: 'Asia/Almaty', dateStyle: 'short' });

/**
 * A deadline is the instant a period ends (addWorkingDays: the Almaty midnight after its last
 * day); people are shown that last day, so "by 01.04.2026" means 1 April still counts.
 */
export function lastDayOf(deadline: string): string {
  return ALMATY_DATE.format(new Date(Date.parse(deadline) - 1));
}

export const outboxNotificationSink: NotificationSink = {
  async notify(trx: Transaction<DB>, request: NotificationRequest): Promise<void> {
    const target = await trx
      .selectFrom('applications')
      .innerJoin('applicants', 'applicants.id', 'applications.applicant_id')
      .leftJoin('accounts', 'accounts.iin', 'applicants.iin')
      .select([
        'applications.number',
        'applicants.email as applicantEmail',
        'applicants.phone as applicantPhone',
        'accounts.email as accountEmail',
        'accounts.phones',
        'accounts.notify_sms',
        'accounts.notify_email',
        'accounts.notify_language',
      ])
      .where('applications.id', '=', request.applicationId)
      .executeTakeFirst();
    if (!target) return;
    let kindergartenName: string | undefined;
    const language = target.notify_language === 'ru' ? 'ru' : 'kk';
    if (request.kindergartenId !== undefined) {
      const kg = await trx.selectFrom('kindergartens').select(['name_kk', 'name_ru']).where('id', '=', request.kindergartenId).executeTakeFirst();
      kindergartenName = kg ? (language === 'ru' ? kg.name_ru : kg.name_kk) : undefined;
    }
    let groupName: string | undefined;
    if (request.groupId !== undefined) {
      const group = await trx.selectFrom('kindergarten_groups').select(['name_kk', 'name_ru']).where('id', '=', request.groupId).executeTakeFirst();
      groupName = group ? (language === 'ru' ? group.name_ru : group.name_kk) : undefined;
    }
    const text = renderMessage(request.kind, language, {
      applicationNumber: target.number,
      kindergartenName,
      deadline: request.deadline ? lastDayOf(request.deadline) : undefined,
      groupName,
      validUntil: request.validUntil?.split('-').reverse().join('.'),
    });
    const at = new Date(request.at);
    // No account yet (never logged in): the applicant's registered contacts, both channels.
    const email = target.accountEmail ?? target.applicantEmail;
    const phones: string[] = target.phones ? (JSON.parse(target.phones) as string[]) : [];
    const phone = notificationPhones(phones, target.applicantPhone)[0];
    if (email && target.notify_email !== 0) await enqueueMessage(trx, { channel: 'email', recipient: email, ...text }, at);
    if (phone && target.notify_sms !== 0) await enqueueMessage(trx, { channel: 'sms', recipient: phone, ...text }, at);
  },
};
