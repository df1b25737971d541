/**
 * REC-09 end to end on a real server (`startTestApp`: migrated PGlite, the pg-boss job queue,
 * the plugin host, the API): a tenant admin turns the plugin on through the API, the object
 * store is down when a recording is ready, the queue retries the durable hook until the store
 * is back, and the record then shows the archived key and URL — archived once, nothing lost.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../core/test/support/test-app.js';
import { cosArchive } from '../src/index.js';
import { CosStore } from './support/cos-store.js';

const BUCKET = 'rec-e2e-1250000003';
const KEYS = { AKIDe2e: 'secret-e2e' };

describe('[REC-09] cos-archive on a real server', () => {
  let t: TestApp;
  let store: CosStore;
  let acme: { tenantId: string; users: Record<string, SeededUser> };

  beforeAll(async () => {
    store = await CosStore.start([BUCKET], KEYS);
    // Retries enough that a slow machine cannot use them all up before the store is back.
    t = await startTestApp({ config: { plugins: [cosArchive({})], jobs: { retryLimit: 50 } } });
    acme = await t.seedTenant({ slug: 'acme-cos' });
  });
  afterAll(async () => {
    await t?.stop();
    await store?.close();
  });

  it('[REC-09] the store down, then back: the queue retries until archived once; the record shows key and URL', async () => {
    const admin = acme.users.admin!.token;
    const on = await t.request('PUT', '/api/v1/plugins/cos-archive', {
      token: admin,
      body: {
        enabled: true,
        settings: {
          bucket: BUCKET,
          region: 'ap-guangzhou',
          secretId: 'AKIDe2e',
          secretKey: KEYS.AKIDe2e,
          endpoint: store.endpoint,
        },
      },
    });
    expect(on.status).toBe(200);
    expect(JSON.stringify(on.body)).not.toContain(KEYS.AKIDe2e);

    // A ready recording, stored as core stores them.
    const { recordingService, recordingStorage, pluginHost } = t.app.container.cradle;
    const id = randomUUID();
    const sessionId = randomUUID();
    const storageKey = `${acme.tenantId}/2026/12/03/${id}.mp3`;
    const mp3 = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), randomBytes(8000)]);
    await recordingService.repo.create(acme.tenantId, {
      id,
      sessionId,
      storageKey,
      sampleRate: 8000,
      channels: 2,
      startedAt: new Date('2026-12-03T10:00:00Z'),
    });
    await recordingStorage.put(storageKey, { stream: [mp3] });
    const endedAt = new Date('2026-12-03T10:05:00Z');
    await recordingService.repo.complete(acme.tenantId, id, {
      status: 'ready',
      durationMs: 300_000,
      sizeBytes: mp3.length,
      endedAt,
    });

    await store.down();
    await pluginHost.emit('recording.ready', {
      tenantId: acme.tenantId,
      occurredAt: endedAt.toISOString(),
      idempotencyKey: `recording:${id}`,
      recordingId: id,
      sessionId,
      storageKey,
      contentType: 'audio/mpeg',
      durationMs: 300_000,
      sizeBytes: mp3.length,
    });

    // The queue's attempt fails while the store is down…
    await expect
      .poll(
        () => t.logs.filter((l) => l.plugin === 'cos-archive' && /COS HEAD failed/.test(JSON.stringify(l))).length,
        {
          timeout: 60_000,
        },
      )
      .toBeGreaterThanOrEqual(1);
    const view = async () =>
      (await t.request('GET', `/api/v1/recordings?sessionId=${sessionId}`, { token: admin })).body.items[0];
    expect(await view()).toMatchObject({ objectKey: null, archivedUrl: null });

    // …and once it is back, a retry archives it.
    await store.up();
    const key = `recordings/2026/12/${id}.mp3`;
    await expect.poll(async () => (await view()).objectKey, { timeout: 60_000 }).toBe(key);
    expect(store.puts(BUCKET, key)).toHaveLength(1);
    expect(await store.object(BUCKET, key, 'AKIDe2e')).toEqual(mp3);
    const url = (await view()).archivedUrl as string;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(mp3);
  });

  it('[REC-09] the local copy deleted once archived: playback and seeking are served from COS', async () => {
    const admin = acme.users.admin!.token;
    const on = await t.request('PUT', '/api/v1/plugins/cos-archive', {
      token: admin,
      body: {
        enabled: true,
        settings: {
          bucket: BUCKET,
          region: 'ap-guangzhou',
          secretId: 'AKIDe2e',
          secretKey: KEYS.AKIDe2e,
          endpoint: store.endpoint,
          deleteLocalAfterArchive: true,
        },
      },
    });
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    const { recordingService, recordingStorage, pluginHost } = t.app.container.cradle;
    const id = randomUUID();
    const sessionId = randomUUID();
    const storageKey = `${acme.tenantId}/2026/12/03/${id}.mp3`;
    const mp3 = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), randomBytes(12000)]);
    await recordingService.repo.create(acme.tenantId, {
      id,
      sessionId,
      storageKey,
      sampleRate: 8000,
      channels: 2,
      startedAt: new Date('2026-12-03T11:00:00Z'),
    });
    await recordingStorage.put(storageKey, { stream: [mp3] });
    const endedAt = new Date('2026-12-03T11:05:00Z');
    await recordingService.repo.complete(acme.tenantId, id, {
      status: 'ready',
      durationMs: 300_000,
      sizeBytes: mp3.length,
      endedAt,
    });
    await pluginHost.emit('recording.ready', {
      tenantId: acme.tenantId,
      occurredAt: endedAt.toISOString(),
      idempotencyKey: `recording:${id}`,
      recordingId: id,
      sessionId,
      storageKey,
      contentType: 'audio/mpeg',
      durationMs: 300_000,
      sizeBytes: mp3.length,
    });
    // Archived, then the local file deleted.
    await expect.poll(async () => recordingStorage.stat(storageKey), { timeout: 60_000 }).toBeNull();

    const link = await t.request('GET', `/api/v1/recordings/${id}/playback`, { token: admin });
    expect(link.status, JSON.stringify(link.body)).toBe(200);
    const whole = await fetch(`${t.url}${link.body.url as string}`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(mp3);
    // Seeking (REC-05) works on the archived copy too.
    const part = await fetch(`${t.url}${link.body.url as string}`, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${mp3.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(mp3.subarray(100, 200));
    // The browser never sees the store: no redirect, no COS address in the answer.
    expect(whole.redirected).toBe(false);
  });
});
