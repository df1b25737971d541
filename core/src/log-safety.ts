import { DrizzleQueryError } from 'drizzle-orm/errors';
import { pino, type Logger } from 'pino';

/** Fields of a PostgreSQL error that may quote the row's values (e.g. `Key (email)=(…)`). */
const PG_VALUE_FIELDS = ['detail', 'where', 'hint', 'internalQuery'];

function isPgError(e: Error): e is Error & Record<string, unknown> & { code: string } {
  const x = e as Error & { code?: unknown; severity?: unknown };
  return typeof x.code === 'string' && /^[0-9A-Z]{5}$/.test(x.code) && typeof x.severity === 'string';
}

function replaceInStack(stack: string | undefined, from: string, to: string): string | undefined {
  if (!stack) return stack;
  return stack.includes(from) ? stack.replace(from, to) : `${to}\n${stack.split('\n').slice(1).join('\n')}`;
}

/**
 * A copy of an error chain that holds no SQL parameter values, for logging:
 * - Drizzle's `Failed query: <sql>\nparams: <values>` keeps the statement, drops the values,
 *   and carries the SQLSTATE of its cause as `code`;
 * - a PostgreSQL error loses `detail`/`where`/`hint` (they quote the offending row), and quoted
 *   text in its message that is not the constraint, table, column or type it names becomes "…"
 *   (`invalid input syntax for type uuid: "…"`).
 * Anything else is returned as is; causes are scrubbed the same way.
 */
export function scrubSqlValues(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error) || depth > 8) return err;
  if (err instanceof DrizzleQueryError) {
    const message = `Failed query: ${err.query}`;
    const out = new Error(message) as Error & { code?: unknown; cause?: unknown };
    out.name = 'DrizzleQueryError';
    out.stack = replaceInStack(err.stack, err.message, `DrizzleQueryError: ${message}`);
    const code = (err.cause as { code?: unknown } | undefined)?.code;
    if (code !== undefined) out.code = code;
    if (err.cause !== undefined) out.cause = scrubSqlValues(err.cause, depth + 1);
    return out;
  }
  if (isPgError(err)) {
    const names = new Set(
      ['constraint', 'table', 'column', 'dataType', 'schema'].map((k) => err[k]).filter((v) => typeof v === 'string'),
    );
    const message = err.message.replace(/"([^"]*)"/g, (m, inner: string) => (names.has(inner) ? m : '"…"'));
    const out = new Error(message) as Error & Record<string, unknown>;
    out.name = err.name;
    for (const [k, v] of Object.entries(err)) {
      if (!PG_VALUE_FIELDS.includes(k) && k !== 'message' && k !== 'stack') out[k] = v;
    }
    out.stack = replaceInStack(err.stack, err.message, message);
    return out;
  }
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const scrubbed = scrubSqlValues(cause, depth + 1);
    if (scrubbed !== cause) {
      // Keep the error's own class and fields (AppError's code…); only the cause differs.
      const copy = Object.create(Object.getPrototypeOf(err) as object) as Error & { cause?: unknown };
      Object.defineProperties(copy, Object.getOwnPropertyDescriptors(err));
      Object.defineProperty(copy, 'cause', { value: scrubbed, enumerable: false, writable: true, configurable: true });
      return copy;
    }
  }
  return err;
}

/** pino's error serializer over {@link scrubSqlValues}. */
export function safeErrSerializer(err: unknown): unknown {
  return pino.stdSerializers.err(scrubSqlValues(err) as Error);
}

/**
 * The logger the app logs with: whatever logger it was given, with errors under `err`, `error`
 * and `cause` serialized without SQL parameter values (emails, names, notes). Applied in one
 * place so no log line — request errors, background steps, plugins — can carry them.
 */
export function withSafeErrors(logger: Logger): Logger {
  return logger.child(
    {},
    { serializers: { err: safeErrSerializer, error: safeErrSerializer, cause: safeErrSerializer } },
  );
}
