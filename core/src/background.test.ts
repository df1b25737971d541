import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BackgroundSteps } from './background.js';
import { Metrics } from './metrics.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('../test/support/process-handlers-child.ts', import.meta.url));

function world() {
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const metrics = new Metrics({ defaults: false });
  const background = new BackgroundSteps({ logger: pino({ level: 'info' }, sink), metrics });
  const count = async (step: string) =>
    (await metrics.backgroundErrors.get()).values.find((v) => v.labels.step === step)?.value ?? 0;
  return { logs, background, count };
}

/** Settles once `n` log lines are in (the sink is written asynchronously). */
async function lines(logs: unknown[], n: number): Promise<void> {
  for (let i = 0; i < 200 && logs.length < n; i++) await new Promise((r) => setImmediate(r));
}

describe('background steps', () => {
  it('a failed step is logged with its step and context, counted per step, and never rethrown', async () => {
    const { logs, background, count } = world();
    const ctx = { tenantId: 't1', sessionId: 's1', offerId: 'o1' };
    const settled = await Promise.reject(new Error('bus down')).catch(background.failed('acd.publishOffer', ctx));
    expect(settled).toBeUndefined();
    background.run('internal.ringCallee', { tenantId: 't1', sessionId: 's2' }, () => {
      throw new Error('thrown before any await');
    });
    await new Promise<void>((resolve) =>
      background.later('redial.dialCustomer', { sessionId: 's3' }, async () => {
        resolve();
        throw new Error('after the webhook answered');
      }),
    );
    await lines(logs, 3);
    expect(logs.map((l) => [l.step, l.sessionId, (l.err as { message: string }).message, l.level])).toEqual([
      ['acd.publishOffer', 's1', 'bus down', 50],
      ['internal.ringCallee', 's2', 'thrown before any await', 50],
      ['redial.dialCustomer', 's3', 'after the webhook answered', 50],
    ]);
    expect(logs[0]).toMatchObject({ tenantId: 't1', offerId: 'o1' });
    expect([await count('acd.publishOffer'), await count('internal.ringCallee'), await count('other')]).toEqual([
      1, 1, 0,
    ]);
  });

  it('a step that succeeds logs and counts nothing', async () => {
    const { logs, background, count } = world();
    let ran = false;
    await new Promise<void>((resolve) =>
      background.later('acd.dispatch', {}, async () => {
        ran = true;
        resolve();
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect([ran, logs, await count('acd.dispatch')]).toEqual([true, [], 0]);
  });
});

describe('process handlers (as npm start installs them)', () => {
  it('an unhandled rejection is logged and counted, and the process lives on', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, 'rejection'], { cwd: ROOT });
    const out = stdout.trim().split('\n');
    expect(JSON.parse(out[0]!)).toMatchObject({
      level: 50,
      step: 'process.unhandledRejection',
      err: { message: 'a step nobody awaited failed' },
    });
    expect(out.slice(1)).toEqual(['switchboard_background_errors_total{step="process.unhandledRejection"} 1', 'alive']);
  });

  it('an uncaught exception is logged (fatal) and counted, then handed to the exit policy', async () => {
    const err = await run(process.execPath, ['--import', 'tsx', CHILD, 'exception'], { cwd: ROOT }).catch(
      (e: { code: number; stdout: string }) => e,
    );
    expect((err as { code: number }).code).toBe(3);
    const out = (err as { stdout: string }).stdout.trim().split('\n');
    expect(JSON.parse(out[0]!)).toMatchObject({
      level: 60,
      step: 'process.uncaughtException',
      err: { message: 'a synchronous bug in a timer' },
    });
    expect(out.slice(1)).toEqual([
      'switchboard_background_errors_total{step="process.uncaughtException"} 1',
      'exiting',
    ]);
  });
});
