/** Every migration, by name; Kysely runs them in name order. Add new ones at the end. */
import type { Migration } from 'kysely';
import { migration0002Http } from './0002_http.ts';

export const migrations: Record<string, Migration> = {
  '0002_http': migration0002Http,
};
