import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

/**
 * Who a background step worked for: every field lands in the log line of its failure, so an
 * operator finds the call (tenant, session) and the leg or agent concerned.
 */
export interface StepContext {
  tenantId?: string | null | undefined;
  sessionId?: string | null | undefined;
  [key: string]: unknown;
}

/**
 * The owner of work nobody awaits: events published after a commit, plugin hooks, rings placed
 * once a webhook has answered, dispatches of the next waiting call. Node ends the process on an
 * unhandled rejection, which would drop every call on the instance; so each such step goes
 * through here and its failure is logged with its step name and context and counted in
 * `switchboard_background_errors_total{step}`. Step names are constants (`module.action`) so
 * the metric's label set stays small.
 */
export class BackgroundSteps {
  private readonly logger: Logger;
  private readonly metrics: Metrics;

  constructor(deps: { logger: Logger; metrics: Metrics }) {
    this.logger = deps.logger;
    this.metrics = deps.metrics;
  }

  /** A `.catch(...)` handler for `step`: logs and counts, never throws, resolves to `undefined`. */
  failed(step: string, ctx: StepContext = {}): (err: unknown) => void {
    return (err) => this.report(step, ctx, err);
  }

  /** Starts `fn` now without waiting for it (a synchronous throw counts as a failure too). */
  run(step: string, ctx: StepContext, fn: () => Promise<unknown> | unknown): void {
    void (async () => fn())().catch(this.failed(step, ctx));
  }

  /**
   * Runs `fn` once the current I/O callbacks are done: after the webhook being handled has
   * answered, or the transaction just committed is visible to the next statement.
   */
  later(step: string, ctx: StepContext, fn: () => Promise<unknown> | unknown): void {
    setImmediate(() => this.run(step, ctx, fn));
  }

  /** Logs and counts one failure of `step` (for steps that catch their errors themselves). */
  report(step: string, ctx: StepContext, err: unknown): void {
    reportBackgroundError(this.logger, this.metrics, step, ctx, err);
  }
}

/** Logs and counts a failed background step; never throws (it runs inside error handlers). */
export function reportBackgroundError(
  logger: Logger,
  metrics: Metrics,
  step: string,
  ctx: StepContext,
  err: unknown,
): void {
  try {
    metrics.backgroundErrors.inc({ step });
    logger.error({ ...ctx, step, err }, `background step failed: ${step}`);
  } catch {
    // A logger or registry that throws must not turn one lost step into a crash.
  }
}

/** Options of {@link installProcessHandlers}. */
export interface ProcessHandlerOptions {
  /**
   * Called after an uncaught exception was logged and counted. `npm start` stops the server and
   * exits: after a synchronous throw nobody caught, Node's state is not to be trusted
   * (docs/adr/0010-background-steps.md); sessions live in PostgreSQL and survive a restart.
   */
  onUncaughtException?: (err: unknown) => void;
}

/**
 * The last line of defence: a rejection nobody handled is logged and counted as step
 * `process.unhandledRejection` and the process goes on (every call on the instance would drop
 * otherwise); an uncaught exception is logged (fatal) and counted as `process.uncaughtException`,
 * then handed to `onUncaughtException`. Returns a function that removes both handlers.
 */
export function installProcessHandlers(logger: Logger, metrics: Metrics, opts: ProcessHandlerOptions = {}): () => void {
  const onRejection = (reason: unknown) => {
    reportBackgroundError(logger, metrics, 'process.unhandledRejection', {}, reason);
  };
  const onException = (err: unknown) => {
    try {
      metrics.backgroundErrors.inc({ step: 'process.uncaughtException' });
      logger.fatal({ err, step: 'process.uncaughtException' }, 'uncaught exception');
    } catch {
      // As above: the handler itself must not throw.
    }
    opts.onUncaughtException?.(err);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
  return () => {
    process.off('unhandledRejection', onRejection);
    process.off('uncaughtException', onException);
  };
}
