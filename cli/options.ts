/**
 * Command options cross a trust boundary (whoever runs the command): each command checks them
 * with a zod schema through parseOptions. The schemas use zod's mini build (`import * as z from
 * 'zod/mini'` in each command, so the bundler keeps only what they use): the full build is ~700 KB
 * of JavaScript, a good part of what `joldama verify` cost to start (see `npm run bench`).
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';

// zod/mini carries no messages of its own ("Invalid input"): the English ones, as the full build has.
z.config(en());

/** The options as the schema gives them, or undefined after printing what is wrong on stderr. */
export function parseOptions<T extends z.ZodMiniType>(schema: T, raw: unknown): z.output<T> | undefined {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  process.stderr.write(`error: ${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('; ')}\n`);
  return undefined;
}

/** An instant or a date, as --at takes it. */
export const isoInstant = (): z.ZodMiniUnion<[z.ZodMiniISODateTime, z.ZodMiniISODate]> =>
  z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** The name of an environment variable (passwords come from one, never from an argument). */
export const envName = (): z.ZodMiniString =>
  z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name'));
