/**
 * The correctional categories (docs/pmpk.md, Categories): the closed list a PMPK conclusion names,
 * a kindergarten serves and the queue's eligibility matches a place against. The one place for it.
 */
import { z } from 'zod';

export const CORRECTIONAL_CATEGORIES = ['speech', 'hearing', 'vision', 'intellect', 'musculoskeletal', 'autism'] as const;

export const CorrectionalCategory = z.enum(CORRECTIONAL_CATEGORIES);
export type CorrectionalCategory = z.infer<typeof CorrectionalCategory>;
