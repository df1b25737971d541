import { WEEKDAYS, type NodeOf, type Weekday } from './flow-model.js';

/**
 * Wall-clock arithmetic in a flow's IANA time zone, with `Intl` only (no time-zone library):
 * working hours (IVR-01) and the `${SystemTime}` family of variables.
 */

/** A moment as the clock on the wall of a time zone shows it. */
export interface LocalTime {
  /** `YYYY-MM-DD`. */
  date: string;
  weekday: Weekday;
  /** Minutes since local midnight, 0…1439. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `Intl` knows the time zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** What the clock shows in `timeZone` at `now`. Throws a RangeError for an unknown zone. */
export function localTime(now: Date, timeZone: string): LocalTime {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(now)) parts[p.type] = p.value;
  const weekday = parts.weekday!.slice(0, 3).toLowerCase() as Weekday;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** `HH:MM` → minutes since midnight (`24:00` → 1440). */
export function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

/** The calendar day before `date` (`YYYY-MM-DD`). */
function dayBefore(date: string, weekday: Weekday): { date: string; weekday: Weekday } {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const prev = new Date(Date.UTC(y, m - 1, d - 1));
  return {
    date: prev.toISOString().slice(0, 10),
    weekday: WEEKDAYS[(WEEKDAYS.indexOf(weekday) + 6) % 7]!,
  };
}

type WorkingHours = Pick<NodeOf<'workingHours'>, 'schedule' | 'holidays' | 'specialDays'> & {
  /** The zone the schedule is read in (the node's, else the flow's or the tenant's). */
  timeZone: string;
};

/** The ranges that start on a given local day: special day, else holiday (none), else weekly. */
function rangesOn(wh: WorkingHours, date: string, weekday: Weekday): Array<{ start: number; end: number }> {
  const special = wh.specialDays.find((s) => s.date === date);
  const ranges = special
    ? special.ranges
    : wh.holidays.includes(date)
      ? []
      : wh.schedule.filter((s) => s.days.includes(weekday)).flatMap((s) => s.ranges);
  return ranges.map((r) => ({ start: toMinutes(r.start), end: toMinutes(r.end) }));
}

/**
 * Whether `now` falls in the working hours (IVR-01). A range `start–end` is open from `start`
 * included to `end` excluded; when `end` is before `start` it runs past midnight and belongs
 * to the day it starts on.
 */
export function isWithinWorkingHours(wh: WorkingHours, now: Date): boolean {
  const t = localTime(now, wh.timeZone);
  for (const r of rangesOn(wh, t.date, t.weekday)) {
    if (r.start < r.end ? t.minutes >= r.start && t.minutes < r.end : t.minutes >= r.start) return true;
  }
  const y = dayBefore(t.date, t.weekday);
  for (const r of rangesOn(wh, y.date, y.weekday)) {
    if (r.end < r.start && t.minutes < r.end) return true;
  }
  return false;
}

/** `${SystemTime}`, `${SystemDate}`, `${SystemWeekday}` at `now` in `timeZone`. */
export function clockVariables(now: Date, timeZone: string): Record<string, string> {
  const t = localTime(now, timeZone);
  const hh = String(Math.floor(t.minutes / 60)).padStart(2, '0');
  const mm = String(t.minutes % 60).padStart(2, '0');
  return {
    SystemTime: `${hh}:${mm}`,
    SystemDate: t.date,
    SystemWeekday: String(WEEKDAYS.indexOf(t.weekday) + 1),
  };
}
