/**
 * Test portal: a fresh migrated database and buildPortal with a quiet logger and a fixed,
 * movable clock. `verify` defaults to the real signing/ verifier with the demo PKI trusted.
 */
import type { FastifyInstance } from 'fastify';
import { buildPortal } from '../../../portal/server/app.ts';
import type { PortalOptions } from '../../../portal/server/options.ts';
import type { PortalVerifier } from '../../../portal/signed-requests.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/portal-db.ts';
import type { DatabaseKind } from '../../../portal/db/database.ts';
import type { QueueConfig } from '../../../portal/queue/config.ts';
import { createQueueEngine, type QueueEngine } from '../../../portal/queue/engine.ts';
import { outboxNotificationSink } from '../../../portal/notifications/outbox-sink.ts';

export const ORIGIN = 'http://127.0.0.1:8740';

export interface TestPortal {
  app: FastifyInstance;
  database: TestDatabase;
  clock: { now: Date };
  queue: QueueEngine;
  close(): Promise<void>;
}

export async function startTestPortal(
  verify: PortalVerifier,
  opts: { kind?: DatabaseKind; start?: Date; extra?: Partial<PortalOptions>; queue?: Partial<QueueConfig> } = {},
): Promise<TestPortal> {
  const database = await createTestDatabase(opts.kind ?? 'sqlite');
  const clock = { now: opts.start ?? new Date('2026-11-24T06:00:00Z') };
  const queue = createQueueEngine({ db: database.db, clock: { now: () => clock.now }, config: opts.queue, notifications: outboxNotificationSink });
  const app = await buildPortal({ db: database.db, origin: ORIGIN, verify, queue, now: () => clock.now, logger: false, ...opts.extra });
  return {
    app,
    database,
    clock,
    queue,
    async close() {
      await app.close();
      await database.close();
      await database.drop();
    },
  };
}
