import { useEffect, useRef, useState, type CSSProperties } from 'react';
import type { LaunchResult } from '../../lib/contracts/shortcuts';
import { FINAL_STATUSES, useRunStatus, type RunStatusSource } from './run-status';

/** Where a launch happened: the launcher's conversation handle, and who it is about when the server said. */
interface LaunchedIn {
  conversationId: string;
  contactName?: LaunchResult['contactName'];
  /** How the inbox numbers the conversation (Chatwoot's "#101"), when it does. */
  conversationLabel?: string | null;
}

/** What the toast reports: a launch that went out (then its run), or one that did not. */
export type ToastSubject = LaunchedIn & (
  | { kind: 'run'; runId: string; shortcutName: string }
  | { kind: 'not-sent'; shortcutName: string; what: string; todo: string }
);

const STATUS_TEXT: Record<string, string> = {
  queued: 'Queued…',
  running: 'Running…',
  waiting: 'Waiting (it will resume on its own)',
  completed: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** How long a finished run's toast stays. A cancel says who stopped it and why: longer to read than "Done". */
export const DISMISS_MS: Partial<Record<string, number>> = { completed: 6000, cancelled: 10_000 };

interface Props {
  subject: ToastSubject;
  source: RunStatusSource;
  onDismiss(): void;
  /** The conversation open now: a toast about another one says so (the agent moved on while it ran). */
  currentConversationId?: string | null;
  /** Overrides DISMISS_MS (tests). */
  dismissMs?: Partial<Record<string, number>>;
  /** Placement (see useToastPlacement); the stylesheet's corner otherwise. */
  style?: CSSProperties;
}

export function RunToast({ subject, source, onDismiss, currentConversationId, dismissMs = DISMISS_MS, style }: Props) {
  const progress = useRunStatus(source, subject.kind === 'run' ? subject.runId : null);
  const status = subject.kind === 'run' ? progress.status : 'not-sent';
  const failed = status === 'failed' || status === 'not-sent';
  // Not while the agent points at it or tabs into it: they are reading it (WCAG 2.2.1).
  const [held, setHeld] = useState(false);
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;
  const after = dismissMs[status];

  useEffect(() => {
    if (after === undefined || held) return;
    const t = setTimeout(() => dismiss.current(), after);
    return () => clearTimeout(t);
  }, [after, held]);

  const elsewhere = currentConversationId !== undefined && currentConversationId !== subject.conversationId;
  const tone = failed ? 'error' : status === 'cancelled' ? 'cancelled' : FINAL_STATUSES.includes(status) ? 'done' : 'busy';
  return (
    <div
      className={`ic-toast ic-toast-${tone}`} data-status={status} style={style}
      onMouseEnter={() => setHeld(true)} onMouseLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)} onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && setHeld(false)}
    >
      {/* The live region is the text only: Dismiss beside it is a control, not part of what is announced. */}
      <div className="ic-toast-body" role={failed ? 'alert' : 'status'}>
        {/* Each name isolated (<bdi>): an Arabic shortcut and an Arabic contact stay in that order. */}
        <strong className="ic-toast-title">
          <bdi data-testid="toast-shortcut">{subject.shortcutName}</bdi>
          {subject.contactName && <span className="ic-toast-who" data-testid="toast-contact"> · <bdi>{subject.contactName}</bdi></span>}
        </strong>
        {subject.kind === 'not-sent' ? (
          <>
            <span>Not sent: {subject.what}</span>
            <span className="ic-toast-todo">{subject.todo}</span>
          </>
        ) : (
          <span>{runText(status, progress.error)}</span>
        )}
        {elsewhere && (
          <span className="ic-toast-elsewhere" data-testid="toast-elsewhere">
            {subject.conversationLabel ? `About conversation ${subject.conversationLabel}, no longer on screen.` : 'About a conversation no longer on screen.'}
          </span>
        )}
      </div>
      <button type="button" className="ic-toast-close" aria-label="Dismiss" onClick={onDismiss}>×</button>
    </div>
  );
}

function runText(status: string, error: string | null): string {
  if (status === 'waiting' && error) return `Waiting ${error}`;
  if (status === 'queued' && error) return `Queued: ${error}`;
  if (status === 'failed' && error) return `Failed: ${error}`;
  // "Cancelled by Ana", "Cancelled: the contact was deleted" say it already; "Stopped by Ben…, who took over" does not.
  if (status === 'cancelled' && error) return /^cancelled\b/i.test(error) ? error : `Cancelled: ${error}`;
  return STATUS_TEXT[status] ?? status;
}
