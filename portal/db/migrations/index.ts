/** Every migration, by name; Kysely runs them in name order. Add new ones at the end. */
import type { Migration } from 'kysely';

export const migrations: Record<string, Migration> = {};
