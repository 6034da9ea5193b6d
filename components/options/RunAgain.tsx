import { useEffect, useRef } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Run } from '../../lib/contracts/runs';
import { RERUN_BATCH_MAX, RerunRunsResult, type RerunBody } from '../../lib/contracts/run-rerun';
import { errorMessage, request } from './api';
import { RunLink } from './RunLink';
import { RUNS_KEY } from './use-run-history';

// "Run again" (n8n's "Retry execution") for failed runs, once their cause is fixed: one, or a
// workflow's all. From the start, a new run of the published version repeats the steps before the
// failure; from the failed step (while the steps before it are unchanged since) it does not, so a
// customer is not sent the same message twice. Each confirmation says which; a button that runs a
// version saved since the failure says so (n8n's "Retry with currently saved workflow"), and one
// beside it runs the version the failed run ran ("Retry with original workflow"); the new run is
// named with a link that shows it.

/**
 * The result of a press takes the keyboard's focus once it comes: Run again's button is gone by
 * then, and focus would fall back to the page's top (WCAG 2.4.3). Not on a result shown on load.
 */
function useFocusOnResult<T extends HTMLElement>(result: unknown) {
  const ref = useRef<T>(null);
  useEffect(() => { if (result) ref.current?.focus(); }, [result]);
  return ref;
}

const REPEATS = 'It starts over from the first step of the workflow as published now, with the same contact, conversation and trigger data: steps that already ran (a note, a message to the customer) run again.';
const RESUMES = 'It goes on from the step that failed, with the same contact and conversation and the variables the run had there: the steps before it (a note, a message to the customer) are not done again.';
const AS_SAVED = 'with the workflow as saved now';
const AS_RAN = 'Whatever was saved since, it runs the steps as they were when the run started.';

/** Where a rerun starts and which version it runs: from step 1; from the failed step as saved now; from there with the version the run ran. */
type Choice = 'start' | 'failed_step' | 'original';
const BODY: Record<Choice, RerunBody | undefined> = { start: undefined, failed_step: { from: 'failed_step' }, original: { from: 'failed_step', workflow: 'original' } };

/**
 * Beside a failed run: Run again from the start, and from the failed step where the server says
 * it may (`failedStep.refused` null; its reason instead when not; neither from a server without
 * it, which would run it from the start), each after a confirmation; then the new run's id. A
 * failed run runs again once: one that was already says by which run instead (its rerun, if it
 * failed too, is the one to run again). The list is refetched either way, as CancelRun does.
 */
export function RunAgain({ run, onShow }: { run: Run; onShow(id: string): void }) {
  const client = useQueryClient();
  const rerun = useMutation({
    // From the start sends no body: a server from before `from` takes it too.
    mutationFn: (choice: Choice) => request(Run, 'POST', `/runs/${encodeURIComponent(run.id)}/rerun`, BODY[choice]),
    onSettled: () => client.invalidateQueries({ queryKey: [RUNS_KEY] }),
  });
  const result = useFocusOnResult<HTMLSpanElement>(rerun.data);
  if (run.status !== 'failed') return null;
  const started = rerun.data?.id ?? run.rerunAs;
  if (started) return <span ref={result} tabIndex={-1} className="rerun-as" role="status">Run again as <RunLink id={started} onShow={onShow} /></span>;
  const failed = run.failedStep;
  // Refused whichever step it would start from (its conversation closed, an assignee deactivated on
  // its way): the reason, not buttons the server would refuse after their confirmation.
  if (run.rerunRefused && failed?.refused !== null && failed?.originalRefused !== null) return <span className="hint rerun-refused">{run.rerunRefused}.</span>;
  const at = failed ? `step ${failed.step}${failed.stepId ? ` (“${failed.stepId}”)` : ''}` : '';
  // Saved since the run (only the failed step or later ones changed): the rerun runs that version, and says so.
  const savedAt = failed?.savedAt ? new Date(failed.savedAt).toLocaleString() : null;
  const saved = savedAt ? ` ${AS_SAVED} (saved ${savedAt}): the failed step and the steps after it as they are now` : '';
  // Saved since the run: the version it ran is the other choice (`originalRefused` present).
  const original = failed && failed.originalRefused !== undefined ? `with the original workflow (version ${run.workflowVersion})` : null;
  const press = (choice: Choice, question: string) => { if (!rerun.isPending && window.confirm(question)) rerun.mutate(choice); };
  const label = (choice: Choice, text: string) => (rerun.isPending && rerun.variables === choice ? 'Starting…' : text);
  return (
    <>
      {/* aria-disabled, not disabled: a disabled button drops the keyboard's focus while it starts. */}
      {/* Refused from the start only (an Assign before the failed step names someone deactivated since): from the failed step it goes on. */}
      {run.rerunRefused ? <span className="hint rerun-refused">Not from the start: {run.rerunRefused}.</span> : (
        <button type="button" className="small" aria-disabled={rerun.isPending} onClick={() => press('start', `Run this failed run again? ${REPEATS}`)}>
          {label('start', 'Run again from the start')}
        </button>
      )}
      {failed && failed.refused === null && (
        <button type="button" className="small" aria-disabled={rerun.isPending} title={`It failed at ${at}${savedAt ? `; the workflow was saved since, on ${savedAt}, with the steps before it unchanged` : ''}`}
          onClick={() => press('failed_step', `Run this failed run again from ${at}${saved}? ${RESUMES}`)}>
          {label('failed_step', savedAt ? `Run again from the failed step ${AS_SAVED}` : 'Run again from the failed step')}
        </button>
      )}
      {failed && failed.refused !== null && <span className="hint rerun-from-refused">Not from the failed step{original ? ` ${AS_SAVED}` : ''}: {failed.refused}.</span>}
      {original && failed?.originalRefused === null && (
        <button type="button" className="small" aria-disabled={rerun.isPending} title={`It failed at ${at}; it goes on with the steps of version ${run.workflowVersion}, the one it ran`}
          onClick={() => press('original', `Run this failed run again from ${at} ${original}, as that run ran it? ${AS_RAN} ${RESUMES}`)}>
          {label('original', `Run again from the failed step ${original}`)}
        </button>
      )}
      {original && failed?.originalRefused && <span className="hint rerun-original-refused">Not {original}: {failed.originalRefused}.</span>}
      {rerun.isError && <span className="error" role="alert">{errorMessage(rerun.error)}</span>}
    </>
  );
}

interface BulkProps {
  workflowId: string;
  /** The workflow as the filter names it. */
  workflowName: string;
  /** The From filter's instant (ISO), if set: only failures since then. */
  since?: string | undefined;
  /** Shows the workflow's runs, the new ones first. */
  onShowRuns(): void;
}

/**
 * Above one workflow's runs: every failed run of it run again (those since the From filter),
 * after a confirmation; then how many started, and how many are left for another press (the
 * server takes at most 1,000 a call).
 */
export function RunAllFailedAgain({ workflowId, workflowName, since, onShowRuns }: BulkProps) {
  const client = useQueryClient();
  const rerun = useMutation({
    mutationFn: (choice: Choice) => request(RerunRunsResult, 'POST', `/workflows/${encodeURIComponent(workflowId)}/runs/rerun`,
      { status: 'failed', ...(since ? { since } : {}), ...BODY[choice] }),
    onSettled: () => client.invalidateQueries({ queryKey: [RUNS_KEY] }),
  });
  const result = useFocusOnResult<HTMLSpanElement>(rerun.data);
  const sinceText = since ? ` started since ${new Date(since).toLocaleString()}` : '';
  const done = rerun.data;
  const all = `Run every failed run of “${workflowName}”${sinceText} again`;
  const upTo = `(up to ${RERUN_BATCH_MAX.toLocaleString()} at a time)`;
  const press = (choice: Choice, question: string) => { if (!rerun.isPending && window.confirm(question)) rerun.mutate(choice); };
  const label = (choice: Choice, text: string) => (rerun.isPending && rerun.variables === choice ? 'Starting…' : text);
  return (
    <p className="rerun-failed">
      <button type="button" className="small" aria-disabled={rerun.isPending} onClick={() => press('start', `${all} ${upTo}? Each one not run again yet: ${REPEATS}`)}>
        {label('start', 'Run all failed again')}
      </button>
      {' '}
      <button type="button" className="small" aria-disabled={rerun.isPending}
        onClick={() => press('failed_step', `${all} from the step where it failed, ${AS_SAVED} ${upTo}? Runs whose steps before the failed one were changed since are left to run again from the start. ${RESUMES}`)}>
        {label('failed_step', `Run all failed again from their failed steps ${AS_SAVED}`)}
      </button>
      {' '}
      <button type="button" className="small" aria-disabled={rerun.isPending}
        onClick={() => press('original', `${all} from the step where it failed, with the version of the workflow it ran ${upTo}? ${AS_RAN} ${RESUMES}`)}>
        {label('original', 'Run all failed again from their failed steps with their original workflow')}
      </button>
      {done && (
        <span ref={result} tabIndex={-1} role="status">
          {' '}{done.started === 0 ? 'No failed run was left to run again.' : `Started ${done.started} ${done.started === 1 ? 'run' : 'runs'} again.`}
          {done.remaining > 0 && ` ${done.remaining} more failed ${done.remaining === 1 ? 'run is' : 'runs are'} left: press again for the next ones.`}
          {done.earlierVersion ? ` ${done.earlierVersion === 1 ? 'One failed run' : `${done.earlierVersion} failed runs`} of an earlier version of the workflow ${done.earlierVersion === 1 ? 'was' : 'were'} left out: steps before ${done.earlierVersion === 1 ? 'its' : 'their'} failed step were changed since: run ${done.earlierVersion === 1 ? 'it' : 'them'} again from the start, or from the failed step with the original workflow.` : ''}
          {done.assigneeDeactivated && ` ${done.assigneeDeactivated === 1 ? 'One failed run was' : `${done.assigneeDeactivated} failed runs were`} left out: from ${done.assigneeDeactivated === 1 ? 'its' : 'their'} failed step on, a step assigns to a deactivated user; an admin must choose someone else in the workflow.`}
          {done.closedConversation && ` ${done.closedConversation === 1 ? 'One failed run was' : `${done.closedConversation} failed runs were`} left out: a shortcut runs in an open conversation, and ${done.closedConversation === 1 ? 'its conversation is' : 'their conversations are'} closed now.`}
          {done.started > 0 && <>{' '}<button type="button" className="link" onClick={onShowRuns}>Show them</button></>}
        </span>
      )}
      {rerun.isError && <span className="error" role="alert"> {errorMessage(rerun.error)}</span>}
    </p>
  );
}
