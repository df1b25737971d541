import { definePlugin } from '@switchboard/core/plugin';
import { z } from 'zod';
import { archivedObjectUrl, archiveRecording } from './archiver.js';
import { cosArchiveSettings } from './settings.js';

/** Install-wide options: none yet (everything is per tenant). */
export const cosArchiveOptions = z.object({}).strict();

/**
 * The COS archive plugin (REC-09): on every `recording.ready` of a tenant that turned it on, the
 * MP3 is copied to the tenant's Tencent COS bucket (`putObject`, idempotent by recording id) and
 * the object key and a presigned URL are stored on the record (`objectKey`, `archivedUrl` in the
 * recordings API — the reference product's `CustomRecordURL`). The hook is durable: a failure
 * throws and the host retries it with backoff.
 *
 * @example
 * // plugins.config.ts
 * plugins: [cosArchive({})]
 */
export const cosArchive = definePlugin<
  typeof cosArchiveOptions,
  Record<string, unknown>,
  'recordingStorage' | 'recordingArchive',
  typeof cosArchiveSettings
>({
  name: 'cos-archive',
  version: '1.0.0',
  coreVersion: '^0.1.0',
  config: cosArchiveOptions,
  tenantSettings: cosArchiveSettings,
  deps: ['recordingStorage', 'recordingArchive'],
  // Playback once the local copy is deleted: core fetches the archived copy through a fresh link.
  register: (ctx) => {
    ctx.deps.recordingArchive.serveArchivedFrom(async (tenantId, objectKey) => {
      const settings = await ctx.tenantSettings(tenantId);
      if (!settings) throw new Error(`cos-archive is off for tenant ${tenantId}`);
      return archivedObjectUrl(settings, objectKey);
    });
  },
  hooks: {
    'recording.ready': async (payload, ctx) => {
      await archiveRecording(payload, ctx.tenantSettings, {
        recordingStorage: ctx.deps.recordingStorage,
        recordingArchive: ctx.deps.recordingArchive,
        logger: ctx.logger,
      });
    },
  },
});
