/**
 * The COS archive plugin (REC-09) on the real plugin host (`createTestHost`), with the real
 * `cos-nodejs-sdk-v5` against a real object store: s3rver behind a middleware that checks the
 * COS signature of every request. The recordings are real files in core's `LocalDiskStorage`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestHost,
  LocalDiskStorage,
  testPayload,
  type ArchivedCopyLink,
  type ArchiveReport,
  type RecordingArchivePort,
  type RecordingReadyPayload,
  type TestHost,
  type TestTenant,
} from '@switchboard/core/plugin';
import { archiveObjectKey, cosArchive, cosArchiveSettings, type CosArchiveSettingsInput } from '../src/index.js';
import { CosStore } from './support/cos-store.js';

const TENANT_A = randomUUID();
const TENANT_B = randomUUID();
const BUCKET_A = 'rec-a-1250000001';
const BUCKET_B = 'rec-b-1250000002';
const KEYS = { AKIDtenantA: 'secret-of-a', AKIDtenantB: 'secret-of-b' };

/**
 * What core's `recordingArchive` port was told, per tenant and recording (the port's database
 * side is proven in core's archive.test.ts).
 */
class ArchiveLedger implements RecordingArchivePort {
  readonly reports: Array<{ tenantId: string; recordingId: string } & ArchiveReport> = [];
  markArchived(tenantId: string, recordingId: string, report: ArchiveReport): Promise<void> {
    this.reports.push({ tenantId, recordingId, ...report });
    return Promise.resolve();
  }
  /** What the plugin registered for playback of archived copies. */
  link: ArchivedCopyLink | undefined;
  serveArchivedFrom(link: ArchivedCopyLink): void {
    this.link = link;
  }
}

/**
 * Core's local-disk storage, with a moment the test can act in: `beforeStat` runs at the start
 * of each archiving attempt (the plugin's first step), before any request to the store.
 */
class ObservedStorage extends LocalDiskStorage {
  beforeStat: (() => Promise<void>) | undefined;
  override async stat(key: string): Promise<{ size: number } | null> {
    await this.beforeStat?.();
    return super.stat(key);
  }
}

let store: CosStore;
let dataDir: string;
let storage: ObservedStorage;
let ledger: ArchiveLedger;
let t: TestHost | undefined;

beforeEach(async () => {
  store = await CosStore.start([BUCKET_A, BUCKET_B], KEYS);
  dataDir = await mkdtemp(join(tmpdir(), 'cos-archive-'));
  storage = new ObservedStorage({ config: { database: { dataDir } } });
  ledger = new ArchiveLedger();
});

afterEach(async () => {
  await t?.close();
  t = undefined;
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

function settingsA(extra: Partial<CosArchiveSettingsInput> = {}): CosArchiveSettingsInput {
  return {
    bucket: BUCKET_A,
    region: 'ap-guangzhou',
    secretId: 'AKIDtenantA',
    secretKey: KEYS.AKIDtenantA,
    endpoint: store.endpoint,
    ...extra,
  };
}

function settingsB(): CosArchiveSettingsInput {
  return {
    bucket: BUCKET_B,
    region: 'ap-guangzhou',
    secretId: 'AKIDtenantB',
    secretKey: KEYS.AKIDtenantB,
    endpoint: store.endpoint,
    prefix: 'b-calls',
  };
}

async function boot(tenants: Record<string, TestTenant>, durableAttempts = 3): Promise<TestHost> {
  t = await createTestHost({
    plugins: [cosArchive({})],
    overrides: { recordingStorage: storage, recordingArchive: ledger },
    tenants,
    durableAttempts,
  });
  expect(t.statuses[0]).toMatchObject({ name: 'cos-archive', status: 'ok', hooks: ['recording.ready'] });
  return t;
}

const on = (settings: CosArchiveSettingsInput): TestTenant => ({
  plugins: { 'cos-archive': { enabled: true, settings: { ...settings } } },
});

/** A recording of `tenantId` stored in core's storage, and its `recording.ready`. */
async function recording(tenantId: string, bytes = 4096): Promise<{ payload: RecordingReadyPayload; mp3: Buffer }> {
  const recordingId = randomUUID();
  const storageKey = `${tenantId}/2026/12/03/${recordingId}.mp3`;
  // ID3 header + random frames: the exact bytes must arrive, whatever they are.
  const mp3 = Buffer.concat([Buffer.from('ID3\x04\x00\x00\x00\x00\x00\x00', 'latin1'), randomBytes(bytes)]);
  await storage.put(storageKey, { stream: [mp3] });
  const payload = testPayload('recording.ready', {
    tenantId,
    recordingId,
    sessionId: randomUUID(),
    storageKey,
    contentType: 'audio/mpeg',
    sizeBytes: mp3.length,
    occurredAt: '2026-12-03T10:15:00.000Z',
  });
  return { payload, mp3 };
}

describe('[REC-09] cos-archive', () => {
  it('[REC-09] archives a recording once, with its exact bytes, and reports the key and a presigned URL', async () => {
    const host = await boot({ [TENANT_A]: on(settingsA({ prefix: 'calls/acme' })) });
    const { payload, mp3 } = await recording(TENANT_A);
    await host.emit('recording.ready', payload);

    const key = `calls/acme/2026/12/${payload.recordingId}.mp3`;
    expect(archiveObjectKey('calls/acme', payload)).toBe(key);
    expect(store.puts(BUCKET_A, key)).toHaveLength(1);
    expect(await store.object(BUCKET_A, key, 'AKIDtenantA')).toEqual(mp3);
    expect(ledger.reports).toEqual([
      { tenantId: TENANT_A, recordingId: payload.recordingId, objectKey: key, url: expect.any(String) },
    ]);

    // The presigned URL fetches the recording as is, with no other credentials…
    const url = ledger.reports[0]!.url;
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(mp3);
    // …and only that object: the signature covers the key.
    expect((await fetch(url.replace(payload.recordingId, randomUUID()))).status).toBe(403);
    // The local copy stays by default.
    expect(await storage.stat(payload.storageKey)).toEqual({ size: mp3.length });

    // The same event again (a redelivery): the object is there, nothing is uploaded twice.
    await host.emit('recording.ready', payload);
    expect(store.puts(BUCKET_A, key)).toHaveLength(1);
    expect(await host.failureCount({ plugin: 'cos-archive' })).toBe(0);
  });

  it('[REC-09] the store down for a while, then back: the durable retries archive it once, nothing lost', async () => {
    const host = await boot({ [TENANT_A]: on(settingsA()) }, 5);
    const recs = [await recording(TENANT_A), await recording(TENANT_A, 20_000)];
    for (const { payload } of recs) {
      // The store is down; it comes back at the start of the hook's third attempt.
      await store.down();
      let attempt = 0;
      storage.beforeStat = async () => {
        if (++attempt === 3) await store.up();
      };
      await host.emit('recording.ready', payload);
      expect(attempt).toBe(3);
    }
    storage.beforeStat = undefined;

    // Two failed attempts per recording, with the store's error in words.
    expect(await host.failureCount({ plugin: 'cos-archive', hook: 'recording.ready' })).toBe(4);
    expect(JSON.stringify(host.logs.filter((l) => l.level >= 40))).toMatch(/COS HEAD failed/);
    for (const { payload, mp3 } of recs) {
      const key = `recordings/2026/12/${payload.recordingId}.mp3`;
      expect(store.puts(BUCKET_A, key)).toHaveLength(1);
      expect(await store.object(BUCKET_A, key, 'AKIDtenantA')).toEqual(mp3);
      expect(ledger.reports.filter((r) => r.recordingId === payload.recordingId)).toHaveLength(1);
    }
    expect(await store.keys(BUCKET_A, 'AKIDtenantA')).toHaveLength(2);
  });

  it('[REC-09] a retry after an upload whose report failed does not upload again', async () => {
    const host = await boot({ [TENANT_A]: on(settingsA()) }, 3);
    const { payload } = await recording(TENANT_A);
    let failReport = true;
    const markArchived = ledger.markArchived.bind(ledger);
    ledger.markArchived = (...args) => {
      if (failReport) {
        failReport = false;
        return Promise.reject(new Error('database unavailable'));
      }
      return markArchived(...args);
    };
    await host.emit('recording.ready', payload);
    expect(await host.failureCount({ plugin: 'cos-archive' })).toBe(1);
    expect(store.puts(BUCKET_A)).toHaveLength(1);
    expect(ledger.reports).toHaveLength(1);
  });

  it("[REC-09] tenant isolation: each tenant's recordings go to its own bucket only, with its own keys", async () => {
    const host = await boot({ [TENANT_A]: on(settingsA()), [TENANT_B]: on(settingsB()) });
    const a = await recording(TENANT_A);
    const b = await recording(TENANT_B);
    await host.emit('recording.ready', a.payload);
    await host.emit('recording.ready', b.payload);

    expect(await store.keys(BUCKET_A, 'AKIDtenantA')).toEqual([`recordings/2026/12/${a.payload.recordingId}.mp3`]);
    expect(await store.keys(BUCKET_B, 'AKIDtenantB')).toEqual([`b-calls/2026/12/${b.payload.recordingId}.mp3`]);
    expect(store.puts(BUCKET_A).map((r) => r.key)).not.toContain(expect.stringContaining(b.payload.recordingId));
    expect(ledger.reports.map((r) => [r.tenantId, r.recordingId])).toEqual([
      [TENANT_A, a.payload.recordingId],
      [TENANT_B, b.payload.recordingId],
    ]);
  });

  it('[REC-09] off for a tenant that did not turn it on; wrong credentials are refused and retried', async () => {
    const host = await boot({ [TENANT_A]: on(settingsA({ secretKey: 'not-the-secret' })) }, 2);
    const other = await recording(TENANT_B);
    await host.emit('recording.ready', other.payload);
    expect(store.requests).toHaveLength(0);

    const { payload } = await recording(TENANT_A);
    await host.emit('recording.ready', payload);
    expect(store.refused.count).toBeGreaterThanOrEqual(2);
    expect(await host.failureCount({ plugin: 'cos-archive', hook: 'recording.ready' })).toBe(2);
    expect(JSON.stringify(host.logs)).not.toContain('not-the-secret');
    expect(ledger.reports).toHaveLength(0);
  });

  it('[REC-09] deletes the local copy once archived when the tenant asks for it', async () => {
    const host = await boot({ [TENANT_A]: on(settingsA({ deleteLocalAfterArchive: true })) });
    const { payload, mp3 } = await recording(TENANT_A);
    await host.emit('recording.ready', payload);
    const key = `recordings/2026/12/${payload.recordingId}.mp3`;
    expect(await store.object(BUCKET_A, key, 'AKIDtenantA')).toEqual(mp3);
    expect(await storage.stat(payload.storageKey)).toBeNull();
    // A redelivery after the delete finds the archived copy and does not fail.
    await host.emit('recording.ready', payload);
    expect(store.puts(BUCKET_A, key)).toHaveLength(1);
    expect(await host.failureCount({ plugin: 'cos-archive' })).toBe(0);
  });

  it('[REC-09] settings: the secret key is a secret setting; bad bucket, region and endpoint are refused', () => {
    expect(cosArchiveSettings.shape.secretKey.meta()).toMatchObject({ secret: true });
    const good = settingsA();
    expect(cosArchiveSettings.parse(good)).toMatchObject({ prefix: 'recordings', deleteLocalAfterArchive: false });
    for (const bad of [
      { bucket: 'Recordings' },
      { region: 'guangzhou' },
      { endpoint: 'ftp://x' },
      { prefix: '../etc' },
      { prefix: 'a/./b' },
      { prefix: '/abs' },
      { secretKey: '' },
    ]) {
      expect(cosArchiveSettings.safeParse({ ...good, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});
