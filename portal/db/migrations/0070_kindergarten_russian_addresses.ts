/**
 * Kindergartens' address and district in Russian next to the Kazakh ones (docs/domain.md, Names and
 * addresses in two languages). Nullable: rows from before this migration keep only the Kazakh forms,
 * and the app shows those until an administrator or the seed fills the Russian ones in.
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('kindergartens').addColumn('address_ru', 'text').execute();
  await db.schema.alterTable('kindergartens').addColumn('district_ru', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('kindergartens').dropColumn('district_ru').execute();
  await db.schema.alterTable('kindergartens').dropColumn('address_ru').execute();
}
