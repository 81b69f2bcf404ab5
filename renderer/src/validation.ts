/** Form checks the UI makes before calling main (main checks again with the contract). */
import { z } from 'zod';

/** The same rule as the contract's auth.setEmail input, so the form answers at once. */
const EmailSchema = z.email().max(254);

export function isValidEmail(value: string): boolean {
  return EmailSchema.safeParse(value).success;
}
