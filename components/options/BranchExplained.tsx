import { type ReactNode, useState } from 'react';
import { BranchOutput, type CheckedBranch } from '../../lib/contracts/branch-output';
import type { StepLogEntry } from '../../lib/contracts/runs';
import { checkedConditionWords } from '../../lib/workflow/condition-words';

/** Where the run went after the Branch: the branch's step, Else's, or on to the next step. */
function outcomeWords(output: BranchOutput, taken: CheckedBranch | undefined): string {
  const to = output.goTo ? `went to step “${output.goTo}”` : 'went on to the next step';
  return taken ? `Took branch “${taken.branch}” and ${to}.` : `No branch held, so it took Else and ${to}.`;
}

function BranchTried({ tried }: { tried: CheckedBranch }) {
  return (
    <li className={tried.matched ? 'branch-tried taken' : 'branch-tried'}>
      <strong>“{tried.branch}”</strong> {tried.matched ? '— held, taken' : '— did not hold'}
      {tried.conditions.length === 0 ? <span className="muted"> (no conditions: it always holds)</span> : (
        <ul>
          {tried.conditions.map((c, i) => (
            <li key={`${i}-${c.condition.slice(0, 50)}`} className={c.holds ? 'held' : 'not-held'}>{checkedConditionWords(c)}</li>
          ))}
        </ul>
      )}
    </li>
  );
}

/**
 * A Branch step's output in words, as n8n's IF node and respond.io's execution log show why a run
 * went where it went: each branch tried, each condition with the value it had, and the branch
 * taken. Values are React text, never markup. The raw output (`children`) stays a click away; any
 * other step's output, and a Branch's logged before conditions were kept, show it as before.
 */
export function BranchExplained({ type, output, children }: { type: StepLogEntry['type']; output: unknown; children: ReactNode }) {
  const [raw, setRaw] = useState(false);
  const parsed = type === 'branch' ? BranchOutput.safeParse(output) : null;
  if (!parsed?.success) return <>{children}</>;
  const taken = parsed.data.checked.find((b) => b.matched);
  return (
    <div className="branch-explained">
      <p className="branch-outcome">{outcomeWords(parsed.data, taken)}</p>
      {parsed.data.checked.length > 0 && (
        <>
          <ol className="branches-tried">{parsed.data.checked.map((b, i) => <BranchTried key={`${i}-${b.branch}`} tried={b} />)}</ol>
          <p className="hint">Branches are tried in order; a branch's conditions are checked in order, up to the first that decides it.</p>
        </>
      )}
      <button type="button" className="small" aria-expanded={raw} onClick={() => setRaw(!raw)}>{raw ? 'Hide raw' : 'Show raw'}</button>
      {raw && children}
    </div>
  );
}
