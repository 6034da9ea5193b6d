import { useId } from 'react';
import { CONDITION_OPERATORS, type ConditionOperator, type Logic } from '../../lib/contracts/conditions';
import { Field, GroupError } from './Field';

export const MAX_RULES_PER_FIELD = 10;

export interface ConditionRuleDraft { field: string; operator: ConditionOperator; value: string }
export interface ConditionsDraft { logic: Logic; rules: ConditionRuleDraft[] }

export interface ConditionFieldSpec {
  field: string;
  label: string;
  /** The values a rule may compare with; empty means "type it". */
  values: readonly string[];
  /** How a value reads in the list (`whatsapp` → WhatsApp); the value itself otherwise. */
  labels?: Readonly<Record<string, string>>;
}

interface Props {
  value: ConditionsDraft;
  fields: readonly ConditionFieldSpec[];
  onChange(value: ConditionsDraft): void;
  /** Draft path of the conditions (`trigger.conditions`). */
  path: string;
}

const OPERATOR_LABELS: Record<ConditionOperator, string> = { is: 'is', is_not: 'is not' };

/** Trigger conditions: rules on the event's facts, joined by AND or OR, at most 10 per fact. */
export function ConditionBuilder({ value, fields, onChange, path }: Props) {
  const name = useId();
  const setRule = (index: number, rule: ConditionRuleDraft) =>
    onChange({ ...value, rules: value.rules.map((r, i) => (i === index ? rule : r)) });
  const removeRule = (index: number) => onChange({ ...value, rules: value.rules.filter((_, i) => i !== index) });
  const addRule = (spec: ConditionFieldSpec) =>
    onChange({ ...value, rules: [...value.rules, { field: spec.field, operator: 'is', value: spec.values[0] ?? '' }] });

  return (
    <fieldset className="conditions">
      <legend>Conditions</legend>
      {value.rules.length === 0 && <p className="hint">No conditions: the trigger fires every time.</p>}
      {value.rules.length > 1 && (
        <div role="radiogroup" aria-label="Combine the rules" className="logic">
          {(['and', 'or'] as const).map((logic) => (
            <label key={logic}>
              <input type="radio" name={name} checked={value.logic === logic} onChange={() => onChange({ ...value, logic })} />
              {logic === 'and' ? 'All rules must hold (AND)' : 'Any rule may hold (OR)'}
            </label>
          ))}
        </div>
      )}
      <ol className="rules">
        {value.rules.map((rule, index) => {
          const spec = fields.find((f) => f.field === rule.field);
          const label = spec?.label ?? rule.field;
          return (
            <li key={index} className="rule">
              {index > 0 && <span className="joiner">{value.logic.toUpperCase()}</span>}
              <span className="rule-field">{label}</span>
              <Field label={<span className="sr-only">Rule {index + 1} operator</span>}>
                {(p) => (
                  <select {...p} value={rule.operator} onChange={(e) => setRule(index, { ...rule, operator: e.target.value as ConditionOperator })}>
                    {CONDITION_OPERATORS.map((op) => <option key={op} value={op}>{OPERATOR_LABELS[op]}</option>)}
                  </select>
                )}
              </Field>
              <Field label={<span className="sr-only">Rule {index + 1} {label}</span>} path={`${path}.rules.${index}.value`}>
                {(p) =>
                  spec && spec.values.length > 0 ? (
                    <select {...p} value={rule.value} onChange={(e) => setRule(index, { ...rule, value: e.target.value })}>
                      {!spec.values.includes(rule.value) && <option value={rule.value}>{rule.value || 'Choose…'}</option>}
                      {spec.values.map((v) => <option key={v} value={v}>{spec.labels?.[v] ?? v}</option>)}
                    </select>
                  ) : (
                    <input {...p} value={rule.value} onChange={(e) => setRule(index, { ...rule, value: e.target.value })} />
                  )
                }
              </Field>
              <button type="button" className="icon-button" aria-label={`Remove rule ${index + 1}`} onClick={() => removeRule(index)}>✕</button>
            </li>
          );
        })}
      </ol>
      <div className="row">
        {fields.map((spec) => {
          const count = value.rules.filter((r) => r.field === spec.field).length;
          const full = count >= MAX_RULES_PER_FIELD;
          const hintId = `${name}-${spec.field}-limit`;
          return (
            <div key={spec.field} className="add-rule">
              <button type="button" disabled={full} aria-describedby={hintId} onClick={() => addRule(spec)}>
                Add {spec.label.toLowerCase()} rule
              </button>
              <span id={hintId} className={full ? 'hint warn' : 'hint'}>
                {full ? `Limit reached: at most ${MAX_RULES_PER_FIELD} rules on ${spec.label.toLowerCase()}` : `${count} / ${MAX_RULES_PER_FIELD} ${spec.label.toLowerCase()} rules`}
              </span>
            </div>
          );
        })}
      </div>
      <GroupError path={`${path}.rules`} />
    </fieldset>
  );
}
