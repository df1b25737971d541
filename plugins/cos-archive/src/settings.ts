import { secretSetting, singleLine } from '@switchboard/core/plugin';
import { z } from 'zod';

/** Default life of the presigned URL stored on the record: 7 days. */
export const DEFAULT_URL_EXPIRES_SECONDS = 7 * 24 * 3600;

// A COS bucket is `<name>-<appid>`: lower-case letters, digits and dashes.
const BUCKET = /^[a-z0-9][a-z0-9-]{0,48}-\d{5,12}$/;
// `ap-guangzhou`, `ap-shanghai-fsi`…
const REGION = /^[a-z]{2,}(-[a-z0-9]+){1,3}$/;
// Plain path segments (not `.` or `..`), no leading or trailing slash.
const SEGMENT = '(?!\\.{1,2}(?:/|$))[A-Za-z0-9._-]+';
const PREFIX = new RegExp(`^${SEGMENT}(/${SEGMENT})*$`);
// An http(s) origin with an optional path; `{Bucket}` and `{Region}` may appear (the SDK's
// Domain template).
const ENDPOINT = /^https?:\/\/[A-Za-z0-9.\-[\]:{}]+(\/[A-Za-z0-9._\-{}]+)*\/?$/;

/**
 * What each tenant's admin fills in to archive their recordings to their own COS bucket
 * (REC-09). The secret key is write-only in the API and stored encrypted.
 */
export const cosArchiveSettings = z
  .object({
    /** The bucket, `<name>-<appid>` (e.g. `recordings-1250000000`). */
    bucket: z.string().regex(BUCKET, 'a COS bucket name: <name>-<appid>'),
    /** The bucket's region, e.g. `ap-guangzhou`. */
    region: z.string().regex(REGION, 'a COS region such as ap-guangzhou'),
    /** API key id (`AKID…`) of a sub-account allowed to PutObject/HeadObject/GetObject. */
    secretId: singleLine(128).min(1),
    /** Its secret key. */
    secretKey: secretSetting(singleLine(128).min(1)),
    /** Folder of the objects in the bucket: `<prefix>/<yyyy>/<mm>/<recordingId>.mp3`. */
    prefix: z.string().max(200).regex(PREFIX, 'folder names separated by /').default('recordings'),
    /**
     * Where the bucket is served, for a private cloud or a test store: `http://host:port`
     * (path style: the bucket is the first path segment) or a template with `{Bucket}` and
     * `{Region}` (`https://{Bucket}.cos.{Region}.example.com`). Default: Tencent Cloud.
     */
    endpoint: z.string().max(300).regex(ENDPOINT, 'an http(s) URL').optional(),
    /** Life of the presigned URL stored on the record, in seconds (1 minute to 1 year). */
    urlExpiresSeconds: z
      .number()
      .int()
      .min(60)
      .max(365 * 24 * 3600)
      .default(DEFAULT_URL_EXPIRES_SECONDS),
    /**
     * Delete the local copy once archived. Playback in the console then needs the archived copy
     * (not served from COS yet), so leave it off unless the local disk must be freed.
     */
    deleteLocalAfterArchive: z.boolean().default(false),
  })
  .strict();

/** A tenant's settings as saved (defaults not applied). */
export type CosArchiveSettingsInput = z.input<typeof cosArchiveSettings>;

/** A tenant's settings as hooks see them. */
export type CosArchiveSettings = z.output<typeof cosArchiveSettings>;
