import { z } from 'zod';

/** Whether the runtime knows `name` as an IANA time zone (`Asia/Shanghai`, `UTC`). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name, checked against the runtime's zone database. */
export const timeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, 'must be an IANA time zone such as Asia/Shanghai or UTC')
  .meta({ example: 'Asia/Shanghai' });
