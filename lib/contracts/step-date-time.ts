import { z } from 'zod';

// The Date & Time step's schedule: business hours per weekday (several ranges a day), specific
// dates, or a date range, read in one IANA time zone. lib/workflow/date-time.ts evaluates it.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const WEEKDAY_LABELS: Record<Weekday, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'Use a time such as 09:00 (24-hour clock)');
const minutes = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));
export const clockMinutes = minutes;

/** From `from` (included) to `to` (excluded), local time; `24:00` ends the day. */
export const TimeRange = z.object({ from: Clock, to: Clock })
  .refine((r) => minutes(r.from) < minutes(r.to), { message: 'The end must be after the start (split a range that crosses midnight in two)', path: ['to'] });
export type TimeRange = z.infer<typeof TimeRange>;

export const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date such as 2026-12-24')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'Not a real date');

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
export const TimeZone = z.string().trim().min(1, 'Choose a time zone').max(64)
  .refine(isTimeZone, 'Use an IANA time zone such as Europe/Madrid or America/New_York');

const DayRanges = z.array(TimeRange).max(6, 'At most 6 ranges a day').default([]);

export const DATE_TIME_MODES = ['business_hours', 'dates', 'date_range'] as const;
export const DateTimeSchedule = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('business_hours'),
    /** Open ranges per weekday; a day left out (or empty) is closed. */
    hours: z.object(Object.fromEntries(WEEKDAYS.map((d) => [d, DayRanges])) as Record<Weekday, typeof DayRanges>),
  }),
  z.object({ mode: z.literal('dates'), dates: z.array(LocalDate).min(1, 'Add at least one date').max(366, 'At most 366 dates') }),
  z.object({ mode: z.literal('date_range'), from: LocalDate, to: LocalDate }).refine((r) => r.from <= r.to, { message: 'The range ends before it starts', path: ['to'] }),
]);
export type DateTimeSchedule = z.infer<typeof DateTimeSchedule>;
