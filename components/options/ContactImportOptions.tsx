import { useId } from 'react';
import type { FieldDefinition } from '../../lib/contracts/contacts';
import { dateOrderOf } from '../../lib/workflow/answer-dates';

export interface ImportChoices {
  match: 'phone_or_email' | 'phone' | 'email' | 'field';
  /** The custom text field contacts are found by, when `match` is `field`. */
  matchField: string;
  fireTriggers: boolean;
  /** "Skip the contact when a value does not fit" (off: imported without the value). */
  strict: boolean;
  /** Numbers without a country code read in the workspace's country; undefined: on when there is one. */
  nationalPhones?: boolean;
}

const MATCHES: { value: ImportChoices['match']; label: string }[] = [
  { value: 'phone_or_email', label: 'Phone, else email' },
  { value: 'phone', label: 'Phone' },
  { value: 'email', label: 'Email' },
  { value: 'field', label: 'A custom field (an id from the other tool)…' },
];

/** How the import finds contacts, reads phones and dates, treats values that do not fit, and whether workflows run. */
export function ContactImportOptions({ choices, onChange, disabled, fields, country, countryError, datesMapped }: {
  choices: ImportChoices; onChange: (c: Partial<ImportChoices>) => void; disabled: boolean;
  fields: readonly FieldDefinition[]; country: string | null; countryError: string | undefined; datesMapped: boolean;
}) {
  const ids = { match: useId(), field: useId(), national: useId(), strict: useId(), fire: useId() };
  const textFields = fields.filter((f) => f.type === 'text');
  const dayFirst = dateOrderOf(country) === 'day-first';
  return (
    <>
      <div className="field">
        <label htmlFor={ids.match}>Find existing contacts by</label>
        <select id={ids.match} value={choices.match} disabled={disabled} onChange={(e) => onChange({ match: e.target.value as ImportChoices['match'] })}>
          {MATCHES.map((m) => <option key={m.value} value={m.value}>{m.label}</option>)}
        </select>
      </div>
      {choices.match === 'field' && (
        <div className="field">
          <label htmlFor={ids.field}>Custom field to find contacts by</label>
          <select id={ids.field} value={choices.matchField} disabled={disabled} onChange={(e) => onChange({ matchField: e.target.value })}>
            <option value="">Choose a text field…</option>
            {textFields.map((f) => <option key={f.key} value={f.key}>{f.label} ({f.key})</option>)}
          </select>
          <p className="hint">
            {textFields.length === 0
              ? 'Define a text field under Settings → Custom fields first (e.g. customer_id), then map the column with the other tool’s id to it.'
              : 'A text field holding the other tool’s id (Chatwoot’s identifier, respond.io’s Contact ID): map that column to it. A row whose id no contact has yet is found by phone, else email, and given the id.'}
          </p>
        </div>
      )}
      {country ? (
        <div className="check">
          <input id={ids.national} type="checkbox" checked={choices.nationalPhones ?? true} disabled={disabled} onChange={(e) => onChange({ nationalPhones: e.target.checked })} />
          <label htmlFor={ids.national}>Read numbers without a country code as: {country}</label>
        </div>
      ) : (
        <p className="hint">Phones need their country code (+34 600 111 222){countryError ? ` (the workspace’s default country could not be read: ${countryError})` : ': set the workspace’s default country to read national numbers'}.</p>
      )}
      {datesMapped && (
        <p className="hint">
          Dates are read as YYYY-MM-DD, or {dayFirst ? 'day first (DD/MM/YYYY)' : 'month first (MM/DD/YYYY)'}
          {country ? `, as people in ${country} (the workspace’s default country) write them` : ', as most of the world writes them (set the workspace’s default country for another order)'}.
        </p>
      )}
      <div className="check">
        <input id={ids.strict} type="checkbox" checked={choices.strict} disabled={disabled} onChange={(e) => onChange({ strict: e.target.checked })} />
        <label htmlFor={ids.strict}>Skip the contact when a value does not fit</label>
      </div>
      <p className="hint">Off, a contact whose custom field value or lifecycle stage does not fit is imported without that value, and the summary lists it.</p>
      <div className="check">
        <input id={ids.fire} type="checkbox" checked={choices.fireTriggers} disabled={disabled} onChange={(e) => onChange({ fireTriggers: e.target.checked })} />
        <label htmlFor={ids.fire}>Run workflows for these changes</label>
      </div>
      <p className="hint warn">Off, the changes are recorded but no workflow starts. On, every workflow listening for these tags or fields starts for each contact imported, and may message every one of them.</p>
    </>
  );
}
