/**
 * Downloading a record export (REC-01). The server streams the file; the browser reads it chunk
 * by chunk through the API client (it needs the access token, which a plain link cannot send),
 * reports the bytes received as they arrive, and saves it under the server's file name.
 */
import { api, errorOf, quiet } from '@/api/request';

export type ExportFormat = 'csv' | 'xlsx';

/** The filters of the export: the list's own API filters (no paging). */
export type ExportFilters = Record<string, string | number>;

/** `records_2026-12-01_2026-12-03.csv` from `Content-Disposition`, else a plain name. */
export function fileNameOf(disposition: string | null, format: ExportFormat): string {
  const m = /filename="([^"]+)"/.exec(disposition ?? '');
  return m?.[1] ?? `records.${format}`;
}

/** Bytes as "1.2 MB" / "640 KB". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(n / 1024))} KB`;
}

/**
 * Fetches the export and saves it; resolves to the file's name. `onProgress` gets the bytes
 * received so far; `signal` cancels. Rejects with the server's error (shown by the caller).
 */
export async function downloadExport(
  filters: ExportFilters,
  format: ExportFormat,
  lang: 'zh-CN' | 'en',
  onProgress: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<string> {
  const query = { ...filters, format, lang } as never;
  const r = await api.GET('/api/v1/records/export', {
    params: { query },
    parseAs: 'stream',
    ...(signal ? { signal } : {}),
    ...quiet,
  });
  if (!r.response.ok || !r.response.body) {
    const body: unknown = await r.response.json().catch(() => undefined);
    throw errorOf(r.response.status, body ?? r.error);
  }
  const reader = r.response.body.getReader();
  const parts: Uint8Array[] = [];
  let bytes = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    bytes += value.byteLength;
    onProgress(bytes);
  }
  const name = fileNameOf(r.response.headers.get('content-disposition'), format);
  const blob = new Blob(parts as BlobPart[], { type: r.response.headers.get('content-type') ?? undefined });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has started the download; the object URL is not needed after this turn.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
