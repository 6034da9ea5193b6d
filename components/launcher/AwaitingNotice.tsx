import { useState } from 'react';
import type { AwaitingAnswer } from '../../lib/contracts/conversations';
import { awaitingAnswerText } from '../../lib/workflow/waiting-on';

interface Props {
  awaiting: AwaitingAnswer;
  takeOver: (() => Promise<void>) | null;
  /**
   * After a successful take-over. This notice (and its button, which had the focus) usually goes
   * with the question: the caller puts the focus somewhere sensible, or it falls to the page's body.
   */
  onTakenOver?(): void;
  className: string;
  testId: string;
}

/**
 * "Workflow “…” is waiting for the customer's answer …" with Take over (Chatwoot's bot
 * handoff): the agent answers, the workflow stops. A refusal is said beside the button.
 */
export function AwaitingNotice({ awaiting, takeOver, onTakenOver, className, testId }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onTakeOver = async () => {
    if (!takeOver || busy) return;
    setBusy(true);
    setError(null);
    try {
      await takeOver();
    } catch (err) {
      setError(`Not taken over: ${err instanceof Error ? err.message : String(err)}`);
      return;
    } finally {
      setBusy(false);
    }
    onTakenOver?.();
  };
  return (
    <div className={className} data-testid={testId}>
      <p className="ic-awaiting-text" role="status" data-testid={`${testId}-text`}>{awaitingAnswerText(awaiting)}</p>
      {takeOver && (
        // aria-disabled while busy, not disabled: a disabled button drops the keyboard focus.
        <button type="button" className="ic-secondary ic-take-over" data-testid={`${testId}-take-over`} aria-disabled={busy || undefined}
          title="Stop the workflow: the customer’s next message comes to you" onClick={() => void onTakeOver()}>
          Take over
        </button>
      )}
      {error && <p className="ic-form-error" role="alert">{error}</p>}
    </div>
  );
}
