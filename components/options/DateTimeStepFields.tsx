import { DATE_TIME_MODES, WEEKDAY_LABELS, WEEKDAYS, type Weekday } from '../../lib/contracts/step-date-time';
import type { StepConfigDraft, StepEditorProps } from './draft-types';
import { Field } from './Field';
import { defaultBusinessHours } from './step-defaults';
import { StepTargetSelect } from './StepTargetSelect';

type Schedule = StepConfigDraft<'date_time'>['schedule'];
type Range = { from: string; to: string };
const MODE_LABELS: Record<(typeof DATE_TIME_MODES)[number], string> = {
  business_hours: 'Business hours (per weekday)', dates: 'Specific dates', date_range: 'A date range',
};
const ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];

function scheduleOf(mode: Schedule['mode']): Schedule {
  if (mode === 'dates') return { mode, dates: [''] };
  if (mode === 'date_range') return { mode, from: '', to: '' };
  return defaultBusinessHours();
}

/** Date & Time: a zone, a schedule, and where to go inside / outside it. */
export function DateTimeStepFields({ config, onChange, path, stepId }: StepEditorProps<'date_time'>) {
  const schedule = config.schedule;
  const setSchedule = (next: Schedule) => onChange({ ...config, schedule: next });
  return (
    <>
      <Field label="Time zone" path={`${path}.timeZone`} hint="The clock the schedule is read on (daylight saving time included).">
        {(p) => (
          <>
            <input {...p} list={`${p.id}-zones`} value={config.timeZone} onChange={(e) => onChange({ ...config, timeZone: e.target.value })} />
            <datalist id={`${p.id}-zones`}>{ZONES.map((z) => <option key={z} value={z} />)}</datalist>
          </>
        )}
      </Field>
      <Field label="Check against" path={`${path}.schedule.mode`}>
        {(p) => (
          <select {...p} value={schedule.mode} onChange={(e) => setSchedule(scheduleOf(e.target.value as Schedule['mode']))}>
            {DATE_TIME_MODES.map((m) => <option key={m} value={m}>{MODE_LABELS[m]}</option>)}
          </select>
        )}
      </Field>
      {schedule.mode === 'business_hours' && <HoursEditor hours={schedule.hours} path={`${path}.schedule.hours`} onChange={(hours) => setSchedule({ mode: 'business_hours', hours })} />}
      {schedule.mode === 'dates' && (
        <fieldset>
          <legend>Dates</legend>
          {schedule.dates.map((d, i) => (
            <div className="row" key={i}>
              <Field label={`Date ${i + 1}`} path={`${path}.schedule.dates.${i}`}>
                {(p) => <input {...p} type="date" value={d} onChange={(e) => setSchedule({ mode: 'dates', dates: schedule.dates.map((x, j) => (j === i ? e.target.value : x)) })} />}
              </Field>
              <button type="button" className="small" aria-label={`Remove date ${i + 1}`} onClick={() => setSchedule({ mode: 'dates', dates: schedule.dates.filter((_, j) => j !== i) })}>✕</button>
            </div>
          ))}
          <button type="button" className="small" onClick={() => setSchedule({ mode: 'dates', dates: [...schedule.dates, ''] })}>Add date</button>
        </fieldset>
      )}
      {schedule.mode === 'date_range' && (
        <div className="row">
          <Field label="From" path={`${path}.schedule.from`}>
            {(p) => <input {...p} type="date" value={schedule.from} onChange={(e) => setSchedule({ ...schedule, from: e.target.value })} />}
          </Field>
          <Field label="To (included)" path={`${path}.schedule.to`}>
            {(p) => <input {...p} type="date" value={schedule.to} onChange={(e) => setSchedule({ ...schedule, to: e.target.value })} />}
          </Field>
        </div>
      )}
      <StepTargetSelect label="When inside, go to" value={config.matchGoTo} path={`${path}.matchGoTo`} selfId={stepId} emptyLabel="The next step"
        onChange={(matchGoTo) => onChange({ ...config, matchGoTo })} />
      <StepTargetSelect label="When outside, go to" value={config.elseGoTo} path={`${path}.elseGoTo`} selfId={stepId} emptyLabel="The next step"
        onChange={(elseGoTo) => onChange({ ...config, elseGoTo })} />
    </>
  );
}

type Hours = Partial<Record<Weekday, Range[]>>;

function HoursEditor({ hours, path, onChange }: { hours: Hours; path: string; onChange(hours: Record<Weekday, Range[]>): void }) {
  const full = Object.fromEntries(WEEKDAYS.map((d) => [d, hours[d] ?? []])) as Record<Weekday, Range[]>;
  const setDay = (day: Weekday, ranges: Range[]) => onChange({ ...full, [day]: ranges });
  return (
    <fieldset>
      <legend>Open hours</legend>
      {WEEKDAYS.map((day) => (
        <div key={day} role="group" aria-label={WEEKDAY_LABELS[day]} className="row">
          <strong>{WEEKDAY_LABELS[day]}</strong>
          {full[day].length === 0 && <span className="hint">Closed</span>}
          {full[day].map((r, i) => (
            <span key={i} className="row">
              <Field label={`${WEEKDAY_LABELS[day]} from ${i + 1}`} path={`${path}.${day}.${i}.from`}>
                {(p) => <input {...p} type="time" value={r.from} onChange={(e) => setDay(day, full[day].map((x, j) => (j === i ? { ...x, from: e.target.value } : x)))} />}
              </Field>
              <Field label={`${WEEKDAY_LABELS[day]} to ${i + 1}`} path={`${path}.${day}.${i}.to`}>
                {(p) => <input {...p} value={r.to} placeholder="17:00 or 24:00" onChange={(e) => setDay(day, full[day].map((x, j) => (j === i ? { ...x, to: e.target.value } : x)))} />}
              </Field>
              <button type="button" className="small" aria-label={`Remove ${WEEKDAY_LABELS[day]} range ${i + 1}`} onClick={() => setDay(day, full[day].filter((_, j) => j !== i))}>✕</button>
            </span>
          ))}
          <button type="button" className="small" aria-label={`Add hours on ${WEEKDAY_LABELS[day]}`} onClick={() => setDay(day, [...full[day], { from: '09:00', to: '17:00' }])}>+</button>
        </div>
      ))}
    </fieldset>
  );
}
