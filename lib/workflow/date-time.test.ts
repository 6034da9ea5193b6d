import { describe, expect, it } from 'vitest';
import { DateTimeSchedule } from '../contracts/step-date-time';
import { inSchedule, localMoment } from './date-time';

const weekdays9to17 = DateTimeSchedule.parse({
  mode: 'business_hours',
  hours: { mon: [{ from: '09:00', to: '12:30' }, { from: '13:30', to: '17:00' }], tue: [{ from: '09:00', to: '17:00' }], sun: [{ from: '00:00', to: '24:00' }] },
});

describe('localMoment', () => {
  it.each([
    // New York springs forward on 2026-03-08 at 02:00 (EST -5 → EDT -4)
    ['2026-03-08T06:59:00Z', 'America/New_York', '2026-03-08', 'sun', '01:59'],
    ['2026-03-08T07:00:00Z', 'America/New_York', '2026-03-08', 'sun', '03:00'],
    // and falls back on 2026-11-01 at 02:00: 01:30 happens twice
    ['2026-11-01T05:30:00Z', 'America/New_York', '2026-11-01', 'sun', '01:30'],
    ['2026-11-01T06:30:00Z', 'America/New_York', '2026-11-01', 'sun', '01:30'],
    // Berlin: 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET
    ['2026-03-29T00:59:00Z', 'Europe/Berlin', '2026-03-29', 'sun', '01:59'],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', '2026-03-29', 'sun', '03:00'],
    ['2026-10-25T00:30:00Z', 'Europe/Berlin', '2026-10-25', 'sun', '02:30'],
    ['2026-10-25T01:30:00Z', 'Europe/Berlin', '2026-10-25', 'sun', '02:30'],
    // a date line: Kiritimati is UTC+14, so UTC's Monday evening is its Tuesday
    ['2026-03-09T20:00:00Z', 'Pacific/Kiritimati', '2026-03-10', 'tue', '10:00'],
    ['2026-03-09T00:00:00Z', 'UTC', '2026-03-09', 'mon', '00:00'],
  ])('%s in %s is %s (%s) %s', (iso, zone, date, weekday, clock) => {
    expect(localMoment(new Date(iso), zone)).toMatchObject({ date, weekday, clock });
  });
});

describe('business hours around DST changes', () => {
  it.each([
    // Monday 2026-03-09, the first weekday after New York's spring-forward: 09:00 EDT is 13:00Z
    ['2026-03-09T12:59:00Z', 'America/New_York', false, '08:59 EDT, before opening'],
    ['2026-03-09T13:00:00Z', 'America/New_York', true, '09:00 EDT, opening'],
    ['2026-03-09T16:45:00Z', 'America/New_York', false, '12:45, the lunch gap'],
    ['2026-03-09T17:30:00Z', 'America/New_York', true, '13:30, afternoon range'],
    ['2026-03-09T21:00:00Z', 'America/New_York', false, '17:00, closing (end excluded)'],
    // The Monday before, still EST: 09:00 is 14:00Z, so 13:00Z is 08:00 and closed
    ['2026-03-02T13:00:00Z', 'America/New_York', false, '08:00 EST'],
    ['2026-03-02T14:00:00Z', 'America/New_York', true, '09:00 EST'],
    // Tuesday after Berlin's fall-back: 09:00 CET is 08:00Z (it was 07:00Z the week before)
    ['2026-10-27T07:30:00Z', 'Europe/Berlin', false, '08:30 CET'],
    ['2026-10-27T08:00:00Z', 'Europe/Berlin', true, '09:00 CET'],
    ['2026-10-20T07:30:00Z', 'Europe/Berlin', true, '09:30 CEST'],
    // Sunday open all day, even on the 23-hour and 25-hour days
    ['2026-03-08T06:30:00Z', 'America/New_York', true, 'Sunday 01:30 before the jump'],
    ['2026-11-01T06:30:00Z', 'America/New_York', true, 'Sunday 01:30, second time'],
    // Saturday has no ranges
    ['2026-03-07T15:00:00Z', 'America/New_York', false, 'Saturday'],
  ])('%s in %s: %s (%s)', (iso, zone, matched) => {
    expect(inSchedule(weekdays9to17, new Date(iso), zone).matched).toBe(matched);
  });
});

describe('specific dates and date ranges are local dates', () => {
  const christmas = DateTimeSchedule.parse({ mode: 'dates', dates: ['2026-12-24', '2026-12-25'] });
  const holidays = DateTimeSchedule.parse({ mode: 'date_range', from: '2026-12-24', to: '2027-01-01' });
  it.each<[DateTimeSchedule, string, string, boolean, string]>([
    [christmas, '2026-12-24T04:00:00Z', 'America/Los_Angeles', false, 'still the 23rd in LA'],
    [christmas, '2026-12-24T09:00:00Z', 'America/Los_Angeles', true, 'the 24th in LA'],
    [christmas, '2026-12-25T23:30:00Z', 'Europe/Madrid', false, 'already the 26th in Madrid'],
    [holidays, '2026-12-23T23:30:00Z', 'Europe/Madrid', true, 'the 24th in Madrid'],
    [holidays, '2027-01-01T22:59:00Z', 'Europe/Madrid', true, 'last minute of the 1st'],
    [holidays, '2027-01-01T23:00:00Z', 'Europe/Madrid', false, 'the 2nd in Madrid'],
  ])('%#: %s in %s → %s (%s)', (schedule, iso, zone, matched) => {
    expect(inSchedule(schedule, new Date(iso), zone).matched).toBe(matched);
  });
});

describe('DateTimeSchedule', () => {
  it.each([
    [{ mode: 'business_hours', hours: { mon: [{ from: '17:00', to: '09:00' }] } }, /end must be after the start/],
    [{ mode: 'business_hours', hours: { mon: [{ from: '9:00', to: '17:00' }] } }, /09:00/],
    [{ mode: 'dates', dates: ['2026-02-30'] }, /real date/],
    [{ mode: 'dates', dates: [] }, /at least one date/],
    [{ mode: 'date_range', from: '2026-05-02', to: '2026-05-01' }, /ends before it starts/],
  ])('refuses %j', (schedule, message) => {
    const result = DateTimeSchedule.safeParse(schedule);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.message).join(' ')).toMatch(message);
  });
});
