import COS from 'cos-nodejs-sdk-v5';
import type { RecordingArchivePort, RecordingReadyPayload, StoragePort } from '@switchboard/core/plugin';
import type { Logger } from 'pino';
import type { CosArchiveSettings } from './settings.js';

/** Longest one COS request may take: inside the host's 60 s per attempt of `recording.ready`. */
export const COS_TIMEOUT_MS = 45_000;

/**
 * The object key of a recording: `<prefix>/<yyyy>/<mm>/<recordingId>.mp3`, the month being the
 * UTC month the recording became ready (`occurredAt`, the same on every retry). One recording,
 * one key: what makes archiving idempotent.
 */
export function archiveObjectKey(prefix: string, payload: Pick<RecordingReadyPayload, 'recordingId' | 'occurredAt'>) {
  const at = new Date(payload.occurredAt);
  const yyyy = String(at.getUTCFullYear());
  const mm = String(at.getUTCMonth() + 1).padStart(2, '0');
  return `${prefix}/${yyyy}/${mm}/${payload.recordingId}.mp3`;
}

/** The COS client options for a tenant's settings (the endpoint override → the SDK's Domain). */
export function cosClientOptions(settings: CosArchiveSettings): COS.COSOptions {
  const base: COS.COSOptions = {
    SecretId: settings.secretId,
    SecretKey: settings.secretKey,
    Timeout: COS_TIMEOUT_MS,
    // Errors must reach the host (which retries with backoff), not be hidden by the SDK switching hosts.
    AutoSwitchHost: false,
  };
  if (!settings.endpoint) return { ...base, Protocol: 'https:' };
  const [, protocol, rest] = /^(https?):\/\/(.*?)\/?$/.exec(settings.endpoint)!;
  // The SDK only speaks virtual-host style; a path-style endpoint puts the bucket in the path.
  const domain = rest!.includes('{Bucket}') ? rest! : `${rest!}/{Bucket}`;
  return { ...base, Protocol: `${protocol!}:` as 'http:' | 'https:', Domain: domain };
}

/** What {@link archiveRecording} needs. */
export interface ArchiveDeps {
  recordingStorage: StoragePort;
  recordingArchive: RecordingArchivePort;
  logger: Logger;
}

/** What happened to one recording. */
export interface ArchiveOutcome {
  objectKey: string;
  /** `false` when the object was already there (a retry after an upload whose report failed). */
  uploaded: boolean;
}

/** A COS SDK error (a plain object, not an Error) as an Error the host can log, without secrets. */
function cosError(step: string, err: unknown): Error {
  const e = (err ?? {}) as { statusCode?: number; code?: string; message?: string };
  const detail = [e.statusCode, e.code, e.message].filter((v) => v !== undefined && v !== '').join(' ');
  return new Error(`COS ${step} failed: ${detail || String(err)}`, { cause: err });
}

function isNotFound(err: unknown): boolean {
  return (err as { statusCode?: number } | undefined)?.statusCode === 404;
}

/**
 * Archives one recording to the tenant's bucket and reports it to core. Idempotent by recording
 * id: it HEADs the key first and uploads only when no object of the recording's size is there,
 * so a retry after a successful upload (say the report to core failed) does not upload twice.
 * Any failure throws, and the host retries the durable hook with backoff.
 */
export async function archiveRecording(
  payload: RecordingReadyPayload,
  settings: CosArchiveSettings,
  deps: ArchiveDeps,
): Promise<ArchiveOutcome> {
  const cos = new COS(cosClientOptions(settings));
  const target = { Bucket: settings.bucket, Region: settings.region };
  const objectKey = archiveObjectKey(settings.prefix, payload);

  const local = await deps.recordingStorage.stat(payload.storageKey);
  const existing = await cos.headObject({ ...target, Key: objectKey }).then(
    (h) => Number(h.headers?.['content-length']),
    (err: unknown) => {
      if (isNotFound(err)) return null;
      throw cosError('HEAD', err);
    },
  );
  if (local === null && existing === null) {
    // Nothing to upload and nothing uploaded: retrying cannot help, but failing keeps it visible.
    throw new Error(`recording ${payload.recordingId}: local file ${payload.storageKey} is missing`);
  }

  let uploaded = false;
  if (existing === null || (local !== null && existing !== local.size)) {
    const body = await deps.recordingStorage.read(payload.storageKey);
    try {
      await cos.putObject({
        ...target,
        Key: objectKey,
        Body: body,
        ContentLength: local!.size,
        ContentType: payload.contentType,
      });
    } catch (err) {
      body.destroy();
      throw cosError('PUT', err);
    }
    uploaded = true;
  }

  const url = cos.getObjectUrl({ ...target, Key: objectKey, Sign: true, Expires: settings.urlExpiresSeconds });
  await deps.recordingArchive.markArchived(payload.tenantId, payload.recordingId, { objectKey, url });
  deps.logger.info({ recordingId: payload.recordingId, objectKey, uploaded }, 'recording archived to COS');

  if (settings.deleteLocalAfterArchive) await deps.recordingStorage.delete(payload.storageKey);
  return { objectKey, uploaded };
}

/** A fresh presigned link to an archived copy (playback once the local file is gone). */
export function archivedObjectUrl(settings: CosArchiveSettings, objectKey: string): string {
  const cos = new COS(cosClientOptions(settings));
  return cos.getObjectUrl({
    Bucket: settings.bucket,
    Region: settings.region,
    Key: objectKey,
    Sign: true,
    Expires: settings.urlExpiresSeconds,
  });
}
