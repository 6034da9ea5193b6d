import { useEffect, useState } from 'react';
import type { Run } from '../../lib/contracts/runs';
import { waitingBehindText } from '../../lib/workflow/waiting-behind';
import { waitingText } from '../../lib/workflow/waiting-on';
import type { Push } from '../../lib/extension/protocol';

export const FINAL_STATUSES = ['completed', 'failed', 'cancelled'];
export const POLL_MS = 2000;

export interface RunProgress { status: string; error: string | null }

export interface RunStatusSource {
  getRun(req: { runId: string }): Promise<Run | null>;
  onPush(listener: (push: Push) => void): () => void;
}

/**
 * A failed run's reason: the run's error, else the failing step's. For a waiting run, what it
 * waits for (waiting-on.ts): the toast says "Waiting " and this. For a queued run held by an
 * earlier run of its contact, which and until when (waiting-behind.ts): "Queued: " and this.
 */
export function runError(run: Run): string | null {
  const failed = run.error ?? run.stepLog.find((s) => s.status === 'failed')?.error ?? null;
  return failed ?? waitingText(run, { reason: true }) ?? waitingBehindText(run);
}

/**
 * The live status of a run: `run.updated` pushes as they come, plus a getRun poll every 2 s while
 * it is not finished (the push stream can be down while the server is not).
 */
export function useRunStatus(source: RunStatusSource, runId: string | null): RunProgress {
  const [progress, setProgress] = useState<RunProgress>({ status: 'queued', error: null });

  useEffect(() => {
    if (!runId) return;
    let finished = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastError: string | null = null;
    const apply = (next: RunProgress) => {
      if (finished) return;
      lastError = next.error;
      finished = FINAL_STATUSES.includes(next.status);
      setProgress(next);
      if (finished) clearTimeout(timer);
    };
    const stop = source.onPush((push) => {
      // A push carries no retry reason nor what a queued run waits behind: it keeps the one its last poll read.
      if (push.type === 'run.updated' && push.runId === runId) {
        apply({ status: push.status, error: push.error ?? (push.status === 'waiting' || push.status === 'queued' ? lastError : null) });
      }
    });
    const poll = async () => {
      const run = await source.getRun({ runId }).catch(() => null);
      if (run) apply({ status: run.status, error: runError(run) });
      if (!finished) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      finished = true;
      clearTimeout(timer);
      stop();
    };
  }, [source, runId]);

  return progress;
}
