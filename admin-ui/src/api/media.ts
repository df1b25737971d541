/**
 * Media the API serves only with the access token (IM images, call recordings): an `<img>` or
 * `<audio>` cannot send `Authorization`, so the bytes are fetched through the API client (one
 * token refresh on a 401, errors as the server says them) and shown from an object URL.
 *
 * A recording is different: the API hands out a short-lived signed link (`GET
 * /recordings/:id/playback`) the `<audio>` element plays directly, so it asks for byte ranges
 * (HTTP 206) and seeks without downloading the whole file first.
 */
import { api, errorOf, quiet, type ApiError } from './request';

/** Object URLs of message images by message id (an image of an id never changes). */
const images = new Map<string, Promise<string>>();

/** The object URL of an image message's picture; rejects with the server's {@link ApiError}. */
export function messageImageUrl(messageId: string): Promise<string> {
  let url = images.get(messageId);
  if (!url) {
    url = (async () => {
      const r = await api.GET('/api/v1/messages/{id}/image', {
        params: { path: { id: messageId } },
        parseAs: 'blob',
        ...quiet,
      });
      if (!r.response.ok || !(r.data instanceof Blob)) throw errorOf(r.response.status, r.error);
      return URL.createObjectURL(r.data);
    })();
    images.set(messageId, url);
    // A failure is not kept: the next render tries again.
    url.catch(() => images.delete(messageId));
  }
  return url;
}

/** Forgets every cached image (sign-out). */
export function releaseImages(): void {
  for (const p of images.values()) void p.then((u) => URL.revokeObjectURL(u)).catch(() => undefined);
  images.clear();
}

/** A signed link a recording plays from, and when it stops working. */
export interface PlaybackLink {
  url: string;
  expiresAt: string;
}

/**
 * A short-lived link to a recording's audio (`GET /recordings/:id/playback`) for `<audio src>`
 * (append `&download=1` to download it). Rejects with the server's {@link ApiError} (403 not a
 * call of yours, 409 still being written…).
 */
export async function recordingPlayback(recordingId: string): Promise<PlaybackLink> {
  const r = await api.GET('/api/v1/recordings/{id}/playback', { params: { path: { id: recordingId } }, ...quiet });
  if (!r.response.ok || !r.data) throw errorOf(r.response.status, r.error) as ApiError;
  return r.data;
}
