import { type ReactNode, useState } from 'react';
import { BranchOutput, type CheckedBranch, type CheckedCondition } from '../../lib/contracts/branch-output';
import type { StepLogEntry } from '../../lib/contracts/runs';
import { checkedConditionWords } from '../../lib/workflow/condition-words';
import { variableLabel, type VariableNames } from '../../lib/workflow/variable-labels';
import { useVariableNames } from './use-variable-names';

/** Where the run went after the Branch: the branch's step, Else's, or on to the next step. */
function outcomeWords(output: BranchOutput, taken: CheckedBranch | undefined): string {
  const to = output.goTo ? `went to step “${output.goTo}”` : 'went on to the next step';
  return taken ? `Took branch “${taken.branch}” and ${to}.` : `No branch held, so it took Else and ${to}.`;
}

/**
 * A condition with its variable named as the builder names it ("Plan" for
 * `{{$contact.fields.plan}}`), the variable as written on hover; as written when no label is known.
 */
function ConditionText({ condition, left, names, rest }: { condition: string; left: string | undefined; names: VariableNames; rest(condition: string): string }) {
  const label = left !== undefined && condition.startsWith(left) ? variableLabel(left, names) : undefined;
  if (label === undefined || left === undefined) return <>{rest(condition)}</>;
  return <><span className="variable-label" title={left}>{label}</span>{rest(condition.slice(left.length))}</>;
}

const checkedWords = (c: CheckedCondition) => (condition: string) => checkedConditionWords({ ...c, condition });
const notChecked = (condition: string) => `${condition}: not checked`;

function BranchTried({ tried, names }: { tried: CheckedBranch; names: VariableNames }) {
  const skipped = tried.skipped ?? [];
  return (
    <li className={tried.matched ? 'branch-tried taken' : 'branch-tried'}>
      <strong>“{tried.branch}”</strong> {tried.matched ? '— held, taken' : '— did not hold'}
      {tried.conditions.length === 0 ? <span className="muted"> (no conditions: it always holds)</span> : (
        <ul>
          {tried.conditions.map((c, i) => (
            <li key={`${i}-${c.condition.slice(0, 50)}`} className={c.holds ? 'held' : 'not-held'}>
              <ConditionText condition={c.condition} left={c.left} names={names} rest={checkedWords(c)} />
            </li>
          ))}
          {skipped.map((c, i) => (
            <li key={`skipped-${i}-${c.condition.slice(0, 50)}`} className="not-checked">
              <ConditionText condition={c.condition} left={c.left} names={names} rest={notChecked} />
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** Logs kept before skipped conditions were recorded name no variable apart: those may leave some out. */
const mayLeaveOut = (output: BranchOutput) => output.checked.some((b) => b.conditions.some((c) => c.left === undefined));

/**
 * A Branch step's output in words, as n8n's IF node and respond.io's execution log show why a run
 * went where it went: each branch tried, each condition with the value it had (or "not checked"
 * when an earlier one decided its branch), and the branch taken. Values are React text, never
 * markup. The raw output (`children`) stays a click away; any other step's output, and a
 * Branch's logged before conditions were kept, show it as before.
 */
export function BranchExplained({ type, output, workflowId, children }: { type: StepLogEntry['type']; output: unknown; workflowId?: string; children: ReactNode }) {
  const [raw, setRaw] = useState(false);
  const parsed = type === 'branch' ? BranchOutput.safeParse(output) : null;
  const names = useVariableNames(parsed?.success ? workflowId : undefined);
  if (!parsed?.success) return <>{children}</>;
  const taken = parsed.data.checked.find((b) => b.matched);
  return (
    <div className="branch-explained">
      <p className="branch-outcome">{outcomeWords(parsed.data, taken)}</p>
      {parsed.data.checked.length > 0 && (
        <>
          <ol className="branches-tried">{parsed.data.checked.map((b, i) => <BranchTried key={`${i}-${b.branch}`} tried={b} names={names} />)}</ol>
          <p className="hint">
            {mayLeaveOut(parsed.data)
              ? 'Branches are tried in order; a branch\'s conditions are checked in order, up to the first that decides it.'
              : 'Branches are tried in order, up to the first that holds; a branch\'s conditions are checked in order, and those after the one that decides it are not checked.'}
          </p>
        </>
      )}
      <button type="button" className="small" aria-expanded={raw} onClick={() => setRaw(!raw)}>{raw ? 'Hide raw' : 'Show raw'}</button>
      {raw && children}
    </div>
  );
}
