/**
 * The server's field errors (`400 validation_failed`, `details[{ path, message }]`) keyed by
 * the field they belong to, so a form shows each on its field: `body.agent.wrapUpSeconds`
 * becomes `agent.wrapUpSeconds`.
 */

/** Field errors by path (`agent.wrapUpSeconds`, `calendars.0.holidays.1`). */
export type FieldErrors = Record<string, string>;

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: Array<{ path?: unknown; message?: unknown }> };
}

/** The field errors of an error body (empty when it has none). */
export function fieldErrorsOf(body: unknown): FieldErrors {
  const out: FieldErrors = {};
  for (const d of (body as ErrorBody | undefined)?.error?.details ?? []) {
    if (typeof d.path !== 'string' || typeof d.message !== 'string') continue;
    const path = d.path.replace(/^body\.?/, '');
    out[path] ??= d.message;
  }
  return out;
}

/** The message of an error body, or `fallback`. */
export function errorMessageOf(body: unknown, fallback: string): string {
  const m = (body as ErrorBody | undefined)?.error?.message;
  return typeof m === 'string' && m ? m : fallback;
}

/** The first error at `path` or below it (`calendars.0.schedule` covers `calendars.0.schedule.1.days`). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const below = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return below ? errors[below] : undefined;
}

/** `status`/`tips` props of a TDesign FormItem for the error at `path`, if any. */
export function itemError(errors: FieldErrors, path: string): { status?: 'error'; tips?: string } {
  const e = errorAt(errors, path);
  return e ? { status: 'error', tips: e } : {};
}
