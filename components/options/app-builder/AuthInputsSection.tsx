import { Field, GroupError } from '../Field';
import { EnumSelect } from './EnumSelect';
import { newAuthInput, type AuthInputRow, type Draft } from './draft';
import { replaced } from './rows';
import { RowTools } from './RowTools';
import { followName, itemKeyFromName } from './slug';
import { AUTH_TYPE_WORDS } from './words';
import { Section } from './Section';

/** The types whose value is text, so may have a maximum length. */
const LENGTH_TYPES: readonly string[] = ['string', 'text', 'secret'];

/**
 * Auth inputs: what the admin fills in on install (an account id, the app's own API key), sent to
 * the app's server in the subscribe request and usable as {{auth.<key>}} in actions.
 */
export function AuthInputsSection({ draft, onChange }: { draft: Draft; onChange(draft: Draft): void }) {
  const set = (authInputs: AuthInputRow[]) => onChange({ ...draft, authInputs });
  return (
    <Section title="Auth inputs">
      <p className="hint">Asked of the admin on install, in this order; sent to the app’s server with the API key.</p>
      {draft.authInputs.map((row, i) => {
        const path = `authInputs.${i}`;
        const what = `auth input ${i + 1}`;
        const change = (patch: Partial<AuthInputRow>) => set(replaced(draft.authInputs, i, { ...row, ...patch }));
        // Also shown while a manifest brought in as JSON holds one on a number or checkbox: the
        // refusal is said under it, and clearing it is the fix (the input then goes away).
        const hasLength = LENGTH_TYPES.includes(row.type) || row.maxLength !== '';
        return (
          <fieldset key={row.uid} className="builder-row">
            <legend>Auth input {i + 1}</legend>
            <RowTools what={what} list={draft.authInputs} index={i} onChange={set} />
            <div className="grid2">
              <Field label="Label" path={`${path}.label`}>
                {(p) => <input {...p} value={row.label} onChange={(e) => change({ label: e.target.value, key: followName(row.key, row.label, e.target.value, itemKeyFromName) })} />}
              </Field>
              <Field label="Key" path={`${path}.key`} hint={row.key ? `{{auth.${row.key}}} in actions` : undefined}>
                {(p) => <input {...p} className="mono" value={row.key} onChange={(e) => change({ key: e.target.value })} />}
              </Field>
              <Field label="Type" path={`${path}.type`} hint={row.type === 'secret' ? 'Typed hidden on install; never shown again' : undefined}>
                {(p) => <EnumSelect {...p} value={row.type} options={AUTH_TYPE_WORDS}
                  onChange={(type) => change({ type, ...(LENGTH_TYPES.includes(type) ? {} : { maxLength: '' }) })} />}
              </Field>
              {hasLength && (
                <Field label="Maximum length" path={`${path}.maxLength`}>
                  {(p) => <input {...p} type="number" min={1} max={10000} value={row.maxLength} onChange={(e) => change({ maxLength: e.target.value })} />}
                </Field>
              )}
            </div>
            <label className="check">
              <input type="checkbox" checked={row.required} onChange={(e) => change({ required: e.target.checked })} /> Required
            </label>
          </fieldset>
        );
      })}
      <GroupError path="authInputs" />
      <button type="button" disabled={draft.authInputs.length >= 30} onClick={() => set([...draft.authInputs, newAuthInput()])}>Add auth input</button>
    </Section>
  );
}
