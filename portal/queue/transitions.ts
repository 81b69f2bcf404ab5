/**
 * Guarded transitions: an UPDATE that names the state it expects (`... WHERE status IN (...)`), so
 * of two racing transactions exactly one changes the row and the other sees zero rows. On
 * PostgreSQL the loser blocks on the row lock, then re-checks the condition after the winner commits.
 */
import type { Transaction } from 'kysely';
import type { ApplicationStatus, DB } from '../db/schema.ts';

/** Whether a guarded UPDATE changed a row. */
export function changed(result: { numUpdatedRows: bigint } | undefined): boolean {
  return (result?.numUpdatedRows ?? 0n) > 0n;
}

/** Moves an application from one of `from` to `to`; false when it was in none of them. */
export async function setStatus(
  trx: Transaction<DB>,
  applicationId: number,
  from: readonly ApplicationStatus[],
  to: ApplicationStatus,
  at: string,
): Promise<boolean> {
  return changed(
    await trx
      .updateTable('applications')
      .set({ status: to, status_changed_at: at })
      .where('id', '=', applicationId)
      .where('status', 'in', from)
      .executeTakeFirst(),
  );
}
