/**
 * Age groups (docs/domain.md "Age groups and the August moves"): each kindergarten's groups by
 * correctional category and age, with their capacity, and the group each enrolled child is in.
 * The August moves job moves children up a group within these capacities.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the evolving DB type
type AnyDb = Kysely<any>;

const idType = (db: AnyDb) => (db.getExecutor().adapter instanceof PostgresAdapter ? 'serial' : 'integer');

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('kindergarten_groups')
    .addColumn('id', idType(db), (c) => c.primaryKey())
    .addColumn('kindergarten_id', 'integer', (c) => c.notNull().references('kindergartens.id'))
    .addColumn('category', 'text', (c) => c.notNull())
    // the age its children reach in the calendar year the school year starts (group year = that year − age)
    .addColumn('age', 'integer', (c) => c.notNull().check(sql`age between 0 and 8`))
    .addColumn('name_kk', 'text', (c) => c.notNull())
    .addColumn('name_ru', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity between 0 and 1000`))
    .addUniqueConstraint('kindergarten_groups_kindergarten_category_age_key', [
      'kindergarten_id',
      'category',
      'age',
    ])
    .execute();
  // null: not enrolled, or enrolled where no group of its category and age is recorded
  await db.schema
    .alterTable('children')
    .addColumn('group_id', 'integer', (c) => c.references('kindergarten_groups.id'))
    .execute();
  await db.schema.createIndex('children_group_idx').on('children').column('group_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('children_group_idx').execute();
  await db.schema.alterTable('children').dropColumn('group_id').execute();
  await db.schema.dropTable('kindergarten_groups').execute();
}
