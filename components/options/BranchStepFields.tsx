import { useId } from 'react';
import type { StepEditorProps } from './draft-types';
import { BranchRule } from './BranchRule';
import { Field, GroupError } from './Field';
import { StepTargetSelect } from './StepTargetSelect';

type Config = StepEditorProps<'branch'>['config'];
type BranchDraft = Config['branches'][number];

const MAX_BRANCHES = 10;
const MAX_RULES = 10;

/** Ordered branches, each with conditions and a target step; the first that holds wins, else `elseGoTo`. */
export function BranchStepFields({ config, onChange, path, index, stepId }: StepEditorProps<'branch'>) {
  const logicName = useId();
  const setBranch = (b: number, branch: BranchDraft) => onChange({ ...config, branches: config.branches.map((old, i) => (i === b ? branch : old)) });
  return (
    <div className="branches">
      <ol className="stack">
        {config.branches.map((branch, b) => {
          const at = `${path}.branches.${b}`;
          const rules = branch.conditions.rules;
          return (
            <li key={b} className="card" aria-label={`Branch ${b + 1}`}>
              <div className="row">
                <Field label={`Branch ${b + 1} name`} path={`${at}.name`}>
                  {(p) => <input {...p} value={branch.name} onChange={(e) => setBranch(b, { ...branch, name: e.target.value })} />}
                </Field>
                <span className="spacer" />
                <button type="button" className="icon-button danger" aria-label={`Remove branch ${b + 1}`}
                  onClick={() => onChange({ ...config, branches: config.branches.filter((_, i) => i !== b) })}>✕</button>
              </div>
              {rules.length > 1 && (
                <div role="radiogroup" aria-label={`Branch ${b + 1}: combine the conditions`} className="logic">
                  {(['and', 'or'] as const).map((logic) => (
                    <label key={logic}>
                      <input type="radio" name={`${logicName}-${b}`} checked={branch.conditions.logic === logic}
                        onChange={() => setBranch(b, { ...branch, conditions: { ...branch.conditions, logic } })} />
                      {logic === 'and' ? 'All (AND)' : 'Any (OR)'}
                    </label>
                  ))}
                </div>
              )}
              <ol className="stack">
                {rules.map((rule, r) => (
                  <BranchRule key={r} rule={rule} label={`Branch ${b + 1} condition ${r + 1}`} path={`${at}.conditions.rules.${r}`} stepIndex={index}
                    onChange={(next) => setBranch(b, { ...branch, conditions: { ...branch.conditions, rules: rules.map((old, i) => (i === r ? next : old)) } })}
                    onRemove={() => setBranch(b, { ...branch, conditions: { ...branch.conditions, rules: rules.filter((_, i) => i !== r) } })} />
                ))}
              </ol>
              <button type="button" className="small" disabled={rules.length >= MAX_RULES}
                onClick={() => setBranch(b, { ...branch, conditions: { ...branch.conditions, rules: [...rules, { left: '', operator: 'is', right: '' }] } })}>
                Add condition
              </button>
              <GroupError path={`${at}.conditions.rules`} />
              <StepTargetSelect label={`Branch ${b + 1} goes to`} value={branch.goTo || undefined} path={`${at}.goTo`} selfId={stepId}
                onChange={(goTo) => setBranch(b, { ...branch, goTo: goTo ?? '' })} />
            </li>
          );
        })}
      </ol>
      <button type="button" disabled={config.branches.length >= MAX_BRANCHES}
        onClick={() => onChange({ ...config, branches: [...config.branches, { name: `Branch ${config.branches.length + 1}`, conditions: { logic: 'and', rules: [{ left: '', operator: 'is', right: '' }] }, goTo: '' }] })}>
        Add branch
      </button>
      {config.branches.length >= MAX_BRANCHES && <span className="hint warn"> At most {MAX_BRANCHES} branches</span>}
      <GroupError path={`${path}.branches`} />
      <StepTargetSelect label="Otherwise go to" value={config.elseGoTo} path={`${path}.elseGoTo`} selfId={stepId}
        emptyLabel="Continue with the next step" onChange={(elseGoTo) => onChange({ ...config, elseGoTo })} />
    </div>
  );
}
