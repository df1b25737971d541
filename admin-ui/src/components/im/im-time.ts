/**
 * Message times as a chat shows them: the time today, the weekday this week, else the date, in
 * the UI language (Intl, so zh-CN and en each read naturally).
 */

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** Short time for the conversation list: `14:05`, `Tue`, `11/28`, `2025/11/28`. */
export function shortTime(iso: string, locale: string, now = new Date()): string {
  const d = new Date(iso);
  if (sameDay(d, now)) return d.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hour12: false });
  const days = (now.getTime() - d.getTime()) / 86_400_000;
  if (days < 6) return d.toLocaleDateString(locale, { weekday: 'short' });
  if (d.getFullYear() === now.getFullYear()) return d.toLocaleDateString(locale, { month: 'numeric', day: 'numeric' });
  return d.toLocaleDateString(locale, { year: 'numeric', month: 'numeric', day: 'numeric' });
}

/** The day heading between messages: "Today", or the full date. */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

export function dayLabel(iso: string, locale: string, today: string, now = new Date()): string {
  const d = new Date(iso);
  if (sameDay(d, now)) return today;
  return d.toLocaleDateString(locale, {
    year: d.getFullYear() === now.getFullYear() ? undefined : 'numeric',
    month: 'long',
    day: 'numeric',
    weekday: 'short',
  });
}

/** `14:05` in the UI language. */
export function clockTime(iso: string, locale: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', hour12: false });
}
