/** Every period and ratio of the queue rules (docs/domain.md, Queue rules), with the defaults of Order No. 254. */
import { z } from 'zod';

export const queueConfigSchema = z.object({
  /** Working days an applicant has to choose after a personal offer. */
  offerWorkingDays: z.number().int().min(1).max(60).default(3),
  /** Working days the kindergarten has to confirm a referral. */
  referralConfirmWorkingDays: z.number().int().min(1).max(60).default(5),
  /** Working days an applicant has to confirm a benefit before it is dropped. */
  benefitConfirmWorkingDays: z.number().int().min(1).max(60).default(5),
  /** Calendar days of the stop list after an unconfirmed referral. */
  stopListDays: z.number().int().min(0).max(365).default(10),
  /** One place in this many goes to the priority categories (the first of each block). */
  priorityEvery: z.number().int().min(2).max(100).default(4),
  /** The age a child starts school at: by the yearly update, a child of this age on 1 September leaves the queue. */
  schoolAge: z.number().int().min(5).max(8).default(6),
  /** Calendar days before a PMPK conclusion's expiry that the family is reminded (a default: the rules name none). */
  pmpkReminderDays: z.number().int().min(1).max(180).default(30),
});

export type QueueConfig = z.infer<typeof queueConfigSchema>;

export const defaultQueueConfig: QueueConfig = queueConfigSchema.parse({});

export function queueConfig(overrides: Partial<QueueConfig> = {}): QueueConfig {
  return queueConfigSchema.parse({ ...defaultQueueConfig, ...overrides });
}
