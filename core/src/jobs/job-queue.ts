import { createHash } from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Logger } from 'pino';

/** Options for one durable job. */
export interface SendJobOptions {
  /**
   * De-duplication key: a second job with the same key on the same queue is dropped (send
   * resolves to null), so an event delivered twice does not run a plugin twice.
   */
  dedupeKey?: string;
  retryLimit?: number;
  retryDelaySeconds?: number;
  /** Exponential backoff between retries (default true). */
  retryBackoff?: boolean;
  /** Seconds a worker may hold the job before it is retried. */
  expireInSeconds?: number;
}

/** A UUID derived from queue + key (pg-boss job ids must be UUIDs). */
export function dedupeId(queue: string, key: string): string {
  const h = createHash('sha256').update(`${queue}\0${key}`).digest('hex');
  // Shape it as a version-5-style UUID so it passes uuid validation.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A job as a worker sees it. */
export interface Job<T> {
  id: string;
  name: string;
  data: T;
  /** 0 on the first delivery, then 1, 2… as the queue retries it. */
  retryCount: number;
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
      // pg-boss's singletonKey only de-duplicates within a time slot on standard queues, so the
      // key becomes the job id instead: the insert is ON CONFLICT DO NOTHING on (name, id).
      ...(opts.dedupeKey ? { id: dedupeId(name, opts.dedupeKey) } : {}),
      ...(opts.expireInSeconds ? { expireInSeconds: opts.expireInSeconds } : {}),
    });
  }

  async work<T>(name: string, handler: (job: Job<T>) => Promise<void>): Promise<void> {
    await this.ensureQueue(name);
    await this.boss.work<T>(
      name,
      { pollingIntervalSeconds: this.opts.pollingIntervalSeconds, batchSize: 1, includeMetadata: true },
      async (jobs) => {
        for (const job of jobs) {
          await handler({ id: job.id, name: job.name, data: job.data, retryCount: job.retryCount });
        }
      },
    );
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, timeout: 5000, wait: true });
  }
}
