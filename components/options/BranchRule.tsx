import { UNARY_VARIABLE_OPERATORS, VARIABLE_OPERATORS, type VariableOperator } from '../../lib/contracts/conditions';
import { OPERATOR_LABELS } from '../../lib/workflow/condition-words';
import { listFieldOf } from '../../lib/workflow/list-field-of';
import { listOptionNote } from '../../lib/workflow/config-value-problems';
import { variableLabel } from '../../lib/workflow/variable-labels';
import { useEditorContext } from './editor-context';
import { Field } from './Field';
import { useFields } from './queries';
import { TemplateInput } from './TemplateInput';

export interface BranchRuleDraft { left: string; operator: VariableOperator; right?: string | undefined }

// How each operator reads values (lib/workflow/conditions.ts), next to it: "contains" on a list is
// the question an n8n user and a respond.io user would answer differently.
const OPERATOR_HINTS: Partial<Record<VariableOperator, string>> = {
  is: 'Any case. Amounts compare as numbers when both sides are one (1250.00 is 1250). On a list (tags, a [*] mapping): one of its values is it.',
  is_not: 'Any case. Amounts compare as numbers when both sides are one (1250.00 is 1250). On a list: none of its values is it.',
  contains: 'Any case, part of the text. On a list (tags, a [*] mapping): one of its values contains it, so IPOD-342, CASE-9 contains IPOD.',
  not_contains: 'Any case, part of the text. On a list: none of its values contains it.',
  greater_than: 'Amounts as written (1,250.00, 1.250,00, €120). 1,250 or 1.250 could be 1250 or 1.25: never compared, the run log says so.',
  less_than: 'Amounts as written (1,250.00, 1.250,00, €120). 1,250 or 1.250 could be 1250 or 1.25: never compared, the run log says so.',
  has_tag: 'One of the values is exactly this tag (any case).',
  not_has_tag: 'None of the values is exactly this tag (any case).',
};

interface Props {
  rule: BranchRuleDraft;
  label: string;
  path: string;
  stepIndex: number;
  onChange(rule: BranchRuleDraft): void;
  onRemove(): void;
}

/** One condition of a branch: a variable, an operator, and (unless unary) a value. */
export function BranchRule({ rule, label, path, stepIndex, onChange, onRemove }: Props) {
  const unary = UNARY_VARIABLE_OPERATORS.includes(rule.operator);
  const fields = useFields().data?.fields;
  const { formFields } = useEditorContext();
  const options = listFieldOf(rule.left, fields, formFields)?.options;
  // Not an error: contacts may still hold an option removed since (publishing takes it).
  const note = listOptionNote(rule, fields);
  // The field the variable holds, by the label it has elsewhere in the builder (and in run details).
  const named = variableLabel(rule.left, { fields, formFields });
  return (
    <li className="row branch-rule">
      <TemplateInput label={`${label} variable`} value={rule.left} path={`${path}.left`} stepIndex={stepIndex}
        placeholder="{{$contact.tags}}" hint={named && `Reads “${named}”`} onChange={(left) => onChange({ ...rule, left })} />
      <Field label={`${label} operator`} path={`${path}.operator`} hint={OPERATOR_HINTS[rule.operator]}>
        {(p) => (
          <select {...p} value={rule.operator} onChange={(e) => {
            const operator = e.target.value as VariableOperator;
            onChange(UNARY_VARIABLE_OPERATORS.includes(operator) ? { left: rule.left, operator } : { ...rule, operator, right: rule.right ?? '' });
          }}>
            {VARIABLE_OPERATORS.map((op) => <option key={op} value={op}>{OPERATOR_LABELS[op]}</option>)}
          </select>
        )}
      </Field>
      {!unary && (
        <TemplateInput label={`${label} value`} value={rule.right ?? ''} path={`${path}.right`} stepIndex={stepIndex}
          suggestions={options} hint={note ?? (options ? `One of: ${options.join(', ')}` : undefined)}
          onChange={(right) => onChange({ ...rule, right })} />
      )}
      <button type="button" className="icon-button" aria-label={`Remove ${label}`} onClick={onRemove}>✕</button>
    </li>
  );
}
