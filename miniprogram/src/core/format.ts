/** Formatting shared by pages and stores; pure, so the unit tests run it without a platform. */

/** `mm:ss`, or `h:mm:ss` from an hour on. */
export function clock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * What the agent typed or pasted, as the server will dial it: full-width digits folded, spaces,
 * dashes, dots, slashes and brackets dropped. The server validates; this only tidies the field.
 */
export function tidyNumber(input: string): string {
  return input.normalize('NFKC').replace(/[\s\-./()（）]/g, '');
}

/** Whether the tidy number may be dialled: 5–20 digits, optionally `+` first (the server's rule). */
export function dialable(n: string): boolean {
  return /^\+?\d{5,20}$/.test(n);
}
