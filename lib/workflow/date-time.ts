import { clockMinutes, WEEKDAYS, type DateTimeSchedule, type Weekday } from '../contracts/step-date-time';

export interface LocalMoment { date: string; weekday: Weekday; minutes: number; clock: string }

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The wall-clock date, weekday and time of an instant in a time zone. Intl applies the zone's
 * rules (DST included), so "09:00 on Monday" means 09:00 as people there read their clocks.
 */
export function localMoment(instant: Date, timeZone: string): LocalMoment {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(instant).map((p) => [p.type, p.value]));
  const weekday = String(parts.weekday).slice(0, 3).toLowerCase() as Weekday;
  if (!WEEKDAYS.includes(weekday)) throw new Error(`Unexpected weekday ${parts.weekday}`);
  const hour = Number(parts.hour) % 24;
  const clock = `${String(hour).padStart(2, '0')}:${parts.minute}`;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday, minutes: hour * 60 + Number(parts.minute), clock };
}

/** Pure: whether the instant, read in the zone, falls inside the schedule. */
export function inSchedule(schedule: DateTimeSchedule, instant: Date, timeZone: string): { matched: boolean; local: LocalMoment } {
  const local = localMoment(instant, timeZone);
  switch (schedule.mode) {
    case 'business_hours': {
      const ranges = schedule.hours[local.weekday] ?? [];
      return { local, matched: ranges.some((r) => clockMinutes(r.from) <= local.minutes && local.minutes < clockMinutes(r.to)) };
    }
    case 'dates':
      return { local, matched: schedule.dates.includes(local.date) };
    case 'date_range':
      return { local, matched: schedule.from <= local.date && local.date <= schedule.to };
  }
}
