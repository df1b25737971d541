/**
 * `@switchboard/cos-archive`: each recording copied to the tenant's Tencent COS bucket, with its
 * object key and a presigned URL stored on the record (REC-09). See the package README.
 *
 * @example
 * import { cosArchive } from '@switchboard/cos-archive'
 * defineConfig({ plugins: [cosArchive({})] })
 */
export { cosArchive, cosArchiveOptions } from './plugin.js';
export {
  archiveObjectKey,
  archiveRecording,
  cosClientOptions,
  COS_TIMEOUT_MS,
  type ArchiveDeps,
  type ArchiveOutcome,
} from './archiver.js';
export {
  cosArchiveSettings,
  DEFAULT_URL_EXPIRES_SECONDS,
  type CosArchiveSettings,
  type CosArchiveSettingsInput,
} from './settings.js';
