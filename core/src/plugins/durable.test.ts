import type { PGlite } from '@electric-sql/pglite';
import { InjectionMode, createContainer } from 'awilix';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createPglite } from '../../test/support/test-database.js';
import { serveEmbedded } from '../db/database.js';
import { PgBossJobQueue } from '../jobs/job-queue.js';
import { Metrics } from '../metrics.js';
import { definePlugin } from './define-plugin.js';
import { PluginHost } from './host.js';
import { testPayload, type CapturedLog } from './test-host.js';
import type { RecordingReadyPayload } from './types.js';

describe('PluginHost durable hooks on pg-boss', () => {
  let pglite: PGlite;
  let served: { url: string; stop(): Promise<void> };
  let queue: PgBossJobQueue;
  const logs: CapturedLog[] = [];
  const logger = pino({ level: 'debug', base: undefined }, { write: (l: string) => void logs.push(JSON.parse(l)) });

  beforeAll(async () => {
    pglite = await createPglite();
    served = await serveEmbedded(pglite);
    queue = new PgBossJobQueue({
      url: served.url,
      logger,
      retryLimit: 3,
      retryDelaySeconds: 0,
      pollingIntervalSeconds: 0.5,
    });
    await queue.start();
  });

  afterAll(async () => {
    await queue?.stop();
    await served?.stop();
    await pglite?.close();
  });

  it('[INT-03] retries only the failing plugin through the real queue, with the attempt number', async () => {
    const attempts: Array<{ plugin: string; attempt: number; recordingId: string; frozen: boolean }> = [];
    let resolveDone: () => void;
    const done = new Promise<void>((r) => (resolveDone = r));

    const archive = definePlugin({
      name: 'archive',
      version: '1.0.0',
      config: z.object({}),
      hooks: {
        'recording.ready': async (payload, ctx) => {
          attempts.push({
            plugin: 'archive',
            attempt: ctx.attempt,
            recordingId: payload.recordingId,
            frozen: Object.isFrozen(payload),
          });
          if (ctx.attempt === 1) throw new Error('storage busy');
          resolveDone();
        },
      },
    });
    const index = definePlugin({
      name: 'index',
      version: '1.0.0',
      config: z.object({}),
      hooks: {
        'recording.ready': (payload, ctx) =>
          void attempts.push({
            plugin: 'index',
            attempt: ctx.attempt,
            recordingId: payload.recordingId,
            frozen: Object.isFrozen(payload),
          }),
      },
    });
    const metrics = new Metrics({ defaults: false });
    const host = new PluginHost({
      specs: [archive({}), index({})],
      logger,
      metrics,
      container: createContainer({ injectionMode: InjectionMode.PROXY, strict: true }),
      jobs: queue,
    });
    await host.boot();
    await host.startWorkers();

    const payload: RecordingReadyPayload = testPayload('recording.ready', { recordingId: 'rec-77' });
    // Resolves once the jobs are queued — before any handler ran.
    await expect(host.emit('recording.ready', payload)).resolves.toBeUndefined();

    // The same event delivered again (a retried webhook, say) queues nothing new.
    await host.emit('recording.ready', payload);

    await Promise.race([
      done,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no successful retry within 20 s')), 20_000)),
    ]);
    // Give a stray extra delivery of the succeeded plugin a chance to show up.
    await new Promise((r) => setTimeout(r, 1200));

    const archiveRuns = attempts.filter((a) => a.plugin === 'archive');
    const indexRuns = attempts.filter((a) => a.plugin === 'index');
    expect(archiveRuns.map((a) => a.attempt)).toEqual([1, 2]);
    expect(indexRuns.map((a) => a.attempt)).toEqual([1]);
    expect(attempts.every((a) => a.recordingId === 'rec-77' && a.frozen)).toBe(true);

    const all = await metrics.registry.getMetricsAsJSON();
    const counter = all.find((m) => m.name === 'switchboard_plugin_hook_failures_total');
    const archiveErrors = counter?.values.find(
      (v) => v.labels.plugin === 'archive' && v.labels.hook === 'recording.ready' && v.labels.reason === 'error',
    );
    expect(archiveErrors?.value).toBe(1);
    expect(
      logs.some((l) => l.plugin === 'archive' && l.hook === 'recording.ready' && l.err?.message === 'storage busy'),
    ).toBe(true);
    await host.drain();
  });
});
