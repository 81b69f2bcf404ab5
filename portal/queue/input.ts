/** Validation of what callers hand the queue: a zod schema per command, refused as INVALID_INPUT. */
import { z } from 'zod';
import { QueueError } from './errors.ts';

export const binSchema = z.string().regex(/^\d{12}$/, 'a BIN is 12 digits');
export const iinSchema = z.string().regex(/^\d{12}$/);
export const idSchema = z.number().int().positive();
export const actorSchema = z.string().trim().min(1).max(64);

export function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw new QueueError('INVALID_INPUT', r.error.issues.map((i) => i.message).join('; '));
  return r.data;
}
