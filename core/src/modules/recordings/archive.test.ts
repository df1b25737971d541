/**
 * The `recordingArchive` core service (REC-09): where an archive plugin reports its copy of a
 * recording. Real server, migrated PGlite, the recordings API.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type SeededUser, type TestApp } from '../../../test/support/test-app.js';
import { PLUGIN_CORE_SERVICES } from '../../plugins/define-plugin.js';

describe('[REC-09] recordingArchive', () => {
  let t: TestApp;
  let acme: { tenantId: string; users: Record<string, SeededUser> };
  let globex: { tenantId: string; users: Record<string, SeededUser> };

  beforeAll(async () => {
    t = await startTestApp();
    acme = await t.seedTenant({ slug: 'acme-archive' });
    globex = await t.seedTenant({ slug: 'globex-archive' });
  });
  afterAll(() => t?.stop());

  /** A recording row of `tenantId`, as the recordings service creates it. */
  async function recordingOf(tenantId: string): Promise<{ id: string; sessionId: string }> {
    const id = randomUUID();
    const sessionId = randomUUID();
    await t.app.container.cradle.recordingService.repo.create(tenantId, {
      id,
      sessionId,
      storageKey: `${tenantId}/2026/12/03/${id}.mp3`,
      sampleRate: 8000,
      channels: 2,
      startedAt: new Date(),
    });
    return { id, sessionId };
  }

  async function viewOf(token: string, sessionId: string): Promise<Record<string, unknown>> {
    const res = await t.request('GET', `/api/v1/recordings?sessionId=${sessionId}`, { token });
    expect(res.status).toBe(200);
    return res.body.items[0];
  }

  it('[REC-09] is a core service plugins may declare', () => {
    expect(PLUGIN_CORE_SERVICES).toContain('recordingArchive');
  });

  it('[REC-09] stores the object key and URL on the record, shown by the recordings API', async () => {
    const rec = await recordingOf(acme.tenantId);
    expect(await viewOf(acme.users.admin!.token, rec.sessionId)).toMatchObject({ objectKey: null, archivedUrl: null });

    const archive = t.app.container.cradle.recordingArchive;
    const url = `https://rec-1250000000.cos.ap-guangzhou.myqcloud.com/recordings/2026/12/${rec.id}.mp3?q-sign-algorithm=sha1`;
    await archive.markArchived(acme.tenantId, rec.id, { objectKey: `recordings/2026/12/${rec.id}.mp3`, url });
    expect(await viewOf(acme.users.supervisor!.token, rec.sessionId)).toMatchObject({
      id: rec.id,
      objectKey: `recordings/2026/12/${rec.id}.mp3`,
      archivedUrl: url,
    });

    // A second report (a re-archive) refreshes the URL.
    await archive.markArchived(acme.tenantId, rec.id, {
      objectKey: `recordings/2026/12/${rec.id}.mp3`,
      url: `${url}&v=2`,
    });
    expect(await viewOf(acme.users.admin!.token, rec.sessionId)).toMatchObject({ archivedUrl: `${url}&v=2` });
  });

  it("[REC-09] is scoped by tenant and rejects what it cannot store, so the plugin's hook is retried", async () => {
    const rec = await recordingOf(acme.tenantId);
    const archive = t.app.container.cradle.recordingArchive;
    const report = { objectKey: 'k.mp3', url: 'https://example.com/k.mp3' };
    await expect(archive.markArchived(globex.tenantId, rec.id, report)).rejects.toThrow(/not found/);
    await expect(archive.markArchived(acme.tenantId, randomUUID(), report)).rejects.toThrow(/not found/);
    await expect(archive.markArchived(acme.tenantId, 'not-a-uuid', report)).rejects.toThrow(/not found/);
    await expect(
      archive.markArchived(acme.tenantId, rec.id, { objectKey: 'k.mp3', url: 'javascript:alert(1)' }),
    ).rejects.toThrow();
    expect(await viewOf(acme.users.admin!.token, rec.sessionId)).toMatchObject({ objectKey: null, archivedUrl: null });
  });
});
