/**
 * The HTTP side's tables: accounts (e-mail, phones, notification settings, password hash),
 * sessions, login challenges, the append-only audit log, the notifications outbox, idempotency
 * keys and the signed documents received (stored verbatim with their verification report).
 */
import { PostgresAdapter, sql, type Generated, type Kysely, type Migration } from 'kysely';

function isPostgres(db: Kysely<unknown>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export const migration0002Http: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const pg = isPostgres(db);
    const serial = (t: string) =>
      db.schema
        .createTable(t)
        .addColumn('id', pg ? 'bigserial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement()));

    await db.schema
      .createTable('accounts')
      .addColumn('iin', 'varchar(12)', (c) => c.primaryKey())
      .addColumn('full_name', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('phones', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('notify_sms', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('notify_email', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('notify_language', 'varchar(2)', (c) => c.notNull().defaultTo('kk'))
      .addColumn('password_hash', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_login_at', 'text')
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('iin', 'varchar(12)', (c) => c.notNull().references('accounts.iin'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('auth_challenges')
      .addColumn('nonce', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('used_at', 'text')
      .execute();

    // One-time SMS codes for the first IIN + password login (docs/domain.md, The personal cabinet and applying).
    await db.schema
      .createTable('auth_codes')
      .addColumn('iin', 'varchar(12)', (c) => c.primaryKey())
      .addColumn('code_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    await serial('audit_log')
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('actor_iin', 'varchar(12)')
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('subject', 'text')
      .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
      .execute();
    // Append-only: the database itself refuses to change or delete an audit entry.
    if (pg) {
      await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
        begin raise exception 'audit_log is append-only'; end $$`.execute(db);
      await sql`create trigger audit_log_no_change before update or delete on audit_log
        for each row execute function audit_log_append_only()`.execute(db);
    } else {
      await sql`create trigger audit_log_no_update before update on audit_log
        begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
      await sql`create trigger audit_log_no_delete before delete on audit_log
        begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
    }

    await serial('outbox')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('channel', 'varchar(8)', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(8)', (c) => c.notNull().defaultTo('pending'))
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('sent_at', 'text')
      .execute();
    await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();

    await db.schema
      .createTable('signed_submissions')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('kind', 'varchar(32)', (c) => c.notNull())
      .addColumn('iin', 'varchar(12)', (c) => c.notNull())
      .addColumn('application_id', 'text', (c) => c.notNull())
      /** SHA-256 of the signed content: the same signed document is acted on once. */
      .addColumn('content_sha256', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('signed_xml', 'text', (c) => c.notNull())
      .addColumn('report', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('iin', 'varchar(12)', (c) => c.notNull())
      .addColumn('key', 'varchar(128)', (c) => c.notNull())
      .addColumn('submission_id', 'varchar(36)', (c) => c.notNull().references('signed_submissions.id'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['iin', 'key'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    const pg = isPostgres(db);
    for (const t of ['idempotency_keys', 'signed_submissions', 'outbox', 'audit_log', 'auth_codes', 'auth_challenges', 'sessions', 'accounts']) {
      await db.schema.dropTable(t).execute();
    }
    if (pg) await sql`drop function audit_log_append_only()`.execute(db);
  },
};

// --- Kysely table types (portal/db/schema.ts's DB extends HttpTables) -------------------------

export interface AccountsTable {
  iin: string;
  full_name: string;
  email: string | null;
  /** JSON array of phone strings. */
  phones: Generated<string>;
  notify_sms: Generated<number>;
  notify_email: Generated<number>;
  notify_language: Generated<string>;
  password_hash: string | null;
  created_at: string;
  last_login_at: string | null;
}
export interface SessionsTable {
  token_hash: string;
  iin: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}
export interface AuthChallengesTable {
  nonce: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}
export interface AuthCodesTable {
  iin: string;
  /** SHA-256 of the code. */
  code_hash: string;
  expires_at: string;
  attempts: Generated<number>;
}
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_iin: string | null;
  action: string;
  subject: string | null;
  /** JSON object. */
  details: Generated<string>;
}
export interface OutboxTable {
  id: Generated<number>;
  created_at: string;
  channel: string;
  recipient: string;
  subject: string;
  body: string;
  status: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_error: string | null;
  sent_at: string | null;
}
export interface SignedSubmissionsTable {
  id: string;
  kind: string;
  iin: string;
  application_id: string;
  content_sha256: string;
  signed_xml: string;
  /** JSON VerificationReport. */
  report: string;
  /** JSON of the route's result, returned again on a repeated submission. */
  result: string;
  created_at: string;
}
export interface IdempotencyKeysTable {
  iin: string;
  key: string;
  submission_id: string;
  created_at: string;
}
export interface HttpTables {
  accounts: AccountsTable;
  sessions: SessionsTable;
  auth_challenges: AuthChallengesTable;
  auth_codes: AuthCodesTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  signed_submissions: SignedSubmissionsTable;
  idempotency_keys: IdempotencyKeysTable;
}
