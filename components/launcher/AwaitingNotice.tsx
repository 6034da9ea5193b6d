import { useState } from 'react';
import type { AwaitingAnswer } from '../../lib/contracts/conversations';
import { awaitingWho, questionsWaitingText } from '../../lib/workflow/waiting-on';

interface Props {
  /** The questions waiting, the one asked last first (useAwaitingAnswer); at least one. */
  awaiting: readonly AwaitingAnswer[];
  /** Stops that run's question. */
  takeOver: ((runId: string) => Promise<void>) | null;
  /**
   * After a successful take-over, with the question stopped. Its button (which had the focus)
   * usually goes with it: the caller puts the focus somewhere sensible, or it falls to the page's body.
   */
  onTakenOver?(stopped: AwaitingAnswer): void;
  className: string;
  testId: string;
}

const TAKE_OVER_ONE = 'Stop the workflow: the customer’s next message comes to you';
const TAKE_OVER_THIS = 'Stop this workflow: its question stops waiting for the customer’s answer';

/**
 * "Workflow “…” is waiting for the customer's answer …" with Take over (Chatwoot's bot
 * handoff): the agent answers, the workflow stops. With several questions each has its own Take
 * over, named by its run (the built-in inbox's notice does the same). A refusal is said beside the buttons.
 */
export function AwaitingNotice({ awaiting, takeOver, onTakenOver, className, testId }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const several = awaiting.length > 1;
  const onTakeOver = async (question: AwaitingAnswer) => {
    if (!takeOver || busy) return;
    setBusy(question.runId);
    setError(null);
    try {
      await takeOver(question.runId);
    } catch (err) {
      setError(`Not taken over: ${err instanceof Error ? err.message : String(err)}`);
      return;
    } finally {
      setBusy(null);
    }
    onTakenOver?.(question);
  };
  return (
    <div className={several ? `${className} ic-several` : className} data-testid={testId}>
      <p className="ic-awaiting-text" role="status" data-testid={`${testId}-text`}>{questionsWaitingText(awaiting)}</p>
      {takeOver && awaiting.map((question) => (
        // aria-disabled while busy, not disabled: a disabled button drops the keyboard focus.
        // With several, each names its run: "Take over" alone would not say which question stops.
        <button key={question.runId} type="button" className="ic-secondary ic-take-over" data-testid={`${testId}-take-over`} data-run-id={question.runId}
          aria-disabled={busy === question.runId || undefined} title={several ? TAKE_OVER_THIS : TAKE_OVER_ONE} onClick={() => void onTakeOver(question)}>
          {several ? <>Take over <bdi>{awaitingWho(question)}</bdi></> : 'Take over'}
        </button>
      ))}
      {error && <p className="ic-form-error" role="alert">{error}</p>}
    </div>
  );
}
