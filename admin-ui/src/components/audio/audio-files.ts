/**
 * The audio library from the browser (ADM-01): upload a file as the raw request body, and get a
 * playable object URL for a file or a TTS preview (IVR-02). Files play from their signed URL,
 * fetched here from this origin (the page's CSP allows `blob:` media, and the URL the server
 * signs may name another host than the one the browser uses).
 */
import { api, errorOf, quiet, type Schemas } from '@/api/request';

export type AudioFile = Schemas['AudioFile'];

/** Uploads a WAV or MP3 under a name; rejects with the server's error (already shown). */
export async function uploadAudio(file: Blob, name: string): Promise<AudioFile> {
  const r = await api.POST('/api/v1/audio-files', {
    params: { query: { name } },
    body: file as unknown as never,
    bodySerializer: (b: unknown) => b as BodyInit,
    headers: { 'Content-Type': file.type || 'application/octet-stream' },
  });
  if (!r.response.ok || !r.data) throw errorOf(r.response.status, r.error);
  return r.data;
}

/** An object URL playing a library file (the caller revokes it). */
export async function audioFileObjectUrl(file: Pick<AudioFile, 'url'>): Promise<string> {
  const u = new URL(file.url, location.origin);
  const res = await fetch(`${u.pathname}${u.search}`);
  if (!res.ok) throw errorOf(res.status, await res.json().catch(() => undefined));
  return URL.createObjectURL(await res.blob());
}

/** An object URL of a prompt text spoken by the server's TTS (IVR-02); the caller revokes it. */
export async function ttsPreviewObjectUrl(text: string, language?: string): Promise<string> {
  const r = await api.POST('/api/v1/tts/preview', {
    body: { text, ...(language ? { language } : {}) },
    parseAs: 'blob',
  });
  if (!r.response.ok || !(r.data instanceof Blob)) throw errorOf(r.response.status, r.error);
  return URL.createObjectURL(r.data);
}

/** One page of the library, filtered by name (the picker's search). */
export async function searchAudio(q: string): Promise<AudioFile[]> {
  const r = await api.GET('/api/v1/audio-files', {
    params: { query: { ...(q.trim() ? { q: q.trim() } : {}), pageSize: 50 } },
    ...quiet,
  });
  return r.data?.items ?? [];
}

/** Reads one file's details, or null (deleted, or not of this tenant). */
export async function audioFileById(id: string): Promise<AudioFile | null> {
  const r = await api.GET('/api/v1/audio-files/{id}', { params: { path: { id } }, ...quiet });
  return r.data ?? null;
}

/** `1:05` from milliseconds. */
export function formatClipLength(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
