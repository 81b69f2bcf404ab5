/**
 * What every queue command works with, passed explicitly: the database, the portal's clock, the
 * queue rules' periods and ratio, and where notifications go.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Clock } from '../scheduler/clock.ts';
import { queueConfig, type QueueConfig } from './config.ts';
import { noNotifications, type NotificationSink } from './notifications.ts';

export interface QueueContext {
  readonly db: Kysely<DB>;
  readonly clock: Clock;
  readonly config: QueueConfig;
  readonly notifications: NotificationSink;
}

export interface QueueContextOptions {
  db: Kysely<DB>;
  clock: Clock;
  config?: Partial<QueueConfig>;
  notifications?: NotificationSink;
}

export function queueContext(options: QueueContextOptions): QueueContext {
  return {
    db: options.db,
    clock: options.clock,
    config: queueConfig(options.config),
    notifications: options.notifications ?? noNotifications,
  };
}
