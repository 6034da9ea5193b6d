import { useEffect, type CSSProperties } from 'react';
import { FINAL_STATUSES, useRunStatus, type RunStatusSource } from './run-status';

/** What the toast reports: a launch that went out (then its run), or one that did not. */
export type ToastSubject =
  | { kind: 'run'; runId: string; shortcutName: string }
  | { kind: 'not-sent'; shortcutName: string; what: string; todo: string };

const STATUS_TEXT: Record<string, string> = {
  queued: 'Queued…',
  running: 'Running…',
  waiting: 'Waiting (it will resume on its own)',
  completed: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

interface Props {
  subject: ToastSubject;
  source: RunStatusSource;
  onDismiss(): void;
  /** Completed runs go away on their own after this many ms. */
  autoDismissMs?: number;
  /** Placement (see useToastPlacement); the stylesheet's corner otherwise. */
  style?: CSSProperties;
}

export function RunToast({ subject, source, onDismiss, autoDismissMs = 6000, style }: Props) {
  const progress = useRunStatus(source, subject.kind === 'run' ? subject.runId : null);
  const status = subject.kind === 'run' ? progress.status : 'not-sent';
  const failed = status === 'failed' || status === 'not-sent';

  useEffect(() => {
    if (status !== 'completed') return;
    const t = setTimeout(onDismiss, autoDismissMs);
    return () => clearTimeout(t);
  }, [status, autoDismissMs, onDismiss]);

  return (
    <div className={`ic-toast ic-toast-${failed ? 'error' : FINAL_STATUSES.includes(status) ? 'done' : 'busy'}`} role={failed ? 'alert' : 'status'} data-status={status} style={style}>
      <div className="ic-toast-body">
        <strong className="ic-toast-title">{subject.shortcutName}</strong>
        {subject.kind === 'not-sent' ? (
          <>
            <span>Not sent: {subject.what}</span>
            <span className="ic-toast-todo">{subject.todo}</span>
          </>
        ) : (
          <span>
            {status === 'waiting' && progress.error ? `Waiting ${progress.error}` : STATUS_TEXT[status] ?? status}
            {status === 'failed' && progress.error ? `: ${progress.error}` : ''}
          </span>
        )}
      </div>
      <button type="button" className="ic-toast-close" aria-label="Dismiss" onClick={onDismiss}>×</button>
    </div>
  );
}
