import PgBoss from 'pg-boss';
import type { Logger } from 'pino';

/** Options for one durable job. */
export interface SendJobOptions {
  /** Jobs with the same key are not queued twice while one is pending. */
  singletonKey?: string;
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Exponential backoff between retries (default true). */
  retryBackoff?: boolean;
  /** Seconds a worker may hold the job before it is retried. */
  expireInSeconds?: number;
}

/** A job as a worker sees it. */
export interface Job<T> {
  id: string;
  name: string;
  data: T;
}

/**
 * Durable background work. The port keeps pg-boss out of module code (and lets the plugin
 * test host run durable hooks inline).
 */
export interface JobQueue {
  /** Declares a queue; idempotent. */
  ensureQueue(name: string): Promise<void>;
  send<T extends object>(name: string, data: T, opts?: SendJobOptions): Promise<string | null>;
  /** Starts a worker. A handler that throws makes the job retry per its options. */
  work<T>(name: string, handler: (job: Job<T>) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}

/** {@link JobQueue} on pg-boss, on the same PostgreSQL as everything else. */
export class PgBossJobQueue implements JobQueue {
  private readonly boss: PgBoss;
  private readonly queues = new Set<string>();
  private started = false;

  constructor(
    private readonly opts: {
      url: string;
      logger: Logger;
      retryLimit: number;
      retryDelaySeconds: number;
      pollingIntervalSeconds: number;
    },
  ) {
    this.boss = new PgBoss({
      connectionString: opts.url,
      max: 4,
      // Maintenance and the cron clock are cheap but not needed by tests that stop quickly.
      supervise: true,
      schedule: false,
    });
    this.boss.on('error', (err: Error) => opts.logger.error({ err }, 'job queue error'));
  }

  async start(): Promise<void> {
    await this.boss.start();
    this.started = true;
  }

  async ensureQueue(name: string): Promise<void> {
    if (this.queues.has(name)) return;
    await this.boss.createQueue(name);
    this.queues.add(name);
  }

  async send<T extends object>(name: string, data: T, opts: SendJobOptions = {}): Promise<string | null> {
    await this.ensureQueue(name);
    return this.boss.send(name, data, {
      retryLimit: opts.retryLimit ?? this.opts.retryLimit,
      retryDelay: opts.retryDelaySeconds ?? this.opts.retryDelaySeconds,
      retryBackoff: opts.retryBackoff ?? true,
      ...(opts.singletonKey ? { singletonKey: opts.singletonKey } : {}),
      ...(opts.expireInSeconds ? { expireInSeconds: opts.expireInSeconds } : {}),
    });
  }

  async work<T>(name: string, handler: (job: Job<T>) => Promise<void>): Promise<void> {
    await this.ensureQueue(name);
    await this.boss.work<T>(
      name,
      { pollingIntervalSeconds: this.opts.pollingIntervalSeconds, batchSize: 1 },
      async (jobs) => {
        for (const job of jobs) await handler({ id: job.id, name: job.name, data: job.data });
      },
    );
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: 5000, wait: true });
  }
}
