import { useCallback, useEffect, useRef, useState } from 'react';
import type { AwaitingAnswer, AwaitingAnswerState } from '../../lib/contracts/conversations';
import type { Push } from '../../lib/extension/protocol';
import { questionsWaiting } from '../../lib/workflow/waiting-on';

/** How often a view without live pushes (the Dashboard App) looks whether a workflow waits on the customer. */
export const AWAITING_POLL_MS = 5_000;
/**
 * With pushes (the extension), looking is only the safety net for a push missed while the
 * stream was down: every agent's open Chatwoot tab asks this often.
 */
export const AWAITING_POLL_WITH_PUSH_MS = 30_000;
/** Run changes come in bursts under load: one look for each burst. */
const PUSH_SETTLE_MS = 300;

export interface AwaitingSource {
  /**
   * The companion conversation for the one on screen (null: it has none). Asked when the
   * conversation changes and, `fresh`, when the agent comes back: mapping a resolved Chatwoot
   * conversation calls Chatwoot, which is not for every few seconds.
   */
  map(fresh: boolean): Promise<string | null>;
  /** Which workflows' questions wait for this customer's answer. Throws when that cannot be told. */
  look(companionId: string): Promise<AwaitingAnswerState>;
  /** Live pushes: a question asked or answered shows at once, not at the next poll. */
  onPush?(listener: (push: Push) => void): () => void;
  /** The agent takes over: stops that run's question; answers what waits now. Throws with a message to show. */
  takeOver?(companionId: string, runId: string): Promise<AwaitingAnswerState>;
}

export interface AwaitingState {
  /** The questions waiting, the one asked last first (questionsWaiting); empty: none. */
  awaiting: AwaitingAnswer[];
  /** Stops that run's question (null when the source cannot); rejects with what went wrong. */
  takeOver: ((runId: string) => Promise<void>) | null;
}

const NONE: AwaitingAnswer[] = [];
/** What a notice shows of a question: the same list again keeps its buttons (and the keyboard focus on one). */
const shownKey = (list: readonly AwaitingAnswer[]) => list.map((a) => `${a.runId} ${a.until} ${a.workflowName} ${a.shortcutName ?? ''}`).join('\n');

/**
 * Whether a workflow's question waits on this conversation's customer. Chatwoot shows the bot's
 * question in its thread, not that the customer's next message goes to the workflow. An answer
 * that cannot be had (the server is unreachable) keeps what was last known; the notice goes by
 * itself once the question's time has passed. `source` must keep its identity (useMemo): a new one
 * is a new look, from nothing.
 */
export function useAwaitingAnswer(source: AwaitingSource | null, key: string | null): AwaitingState {
  const [awaiting, setAwaiting] = useState<AwaitingAnswer[]>(NONE);
  const current = useRef<{ companionId: string | null; shown: AwaitingAnswer[]; show(next: AwaitingAnswerState | null): void } | null>(null);
  useEffect(() => {
    setAwaiting(NONE);
    if (!source || !key) return;
    let live = true;
    let companionId: string | null = null;
    let expiry: ReturnType<typeof setTimeout> | undefined;
    let settle: ReturnType<typeof setTimeout> | undefined;

    let shown: AwaitingAnswer[] = NONE;
    // Each question goes at its own time: the timer fires at the soonest and shows the rest.
    const show = (next: AwaitingAnswerState | null) => {
      clearTimeout(expiry);
      const now = Date.now();
      const list = next ? questionsWaiting(next, now) : NONE;
      shown = list.length ? list : NONE;
      const said = shown;
      setAwaiting((prev) => (shownKey(prev) === shownKey(said) ? prev : said));
      if (!shown.length) return;
      const soonest = Math.min(...shown.map((a) => Date.parse(a.until) - now));
      const left = { awaitingAnswer: shown[0]!, awaitingAnswers: shown };
      expiry = setTimeout(() => live && show(left), Math.min(soonest, 2 ** 31 - 1));
    };
    const look = async () => {
      if (!companionId) return show(null);
      try {
        const next = await source.look(companionId);
        if (live) show(next);
      } catch { /* unknown is not "none": keep what was shown */ }
    };
    const map = async (fresh: boolean) => {
      try {
        companionId = await source.map(fresh);
      } catch { /* keep the last mapping */ }
      if (live) await look();
    };

    current.current = { get companionId() { return companionId; }, get shown() { return shown; }, show: (next) => { if (live) show(next); } };
    void map(false);
    const every = source.onPush ? AWAITING_POLL_WITH_PUSH_MS : AWAITING_POLL_MS;
    const timer = setInterval(() => { if (document.visibilityState === 'visible') void look(); }, every);
    const onBack = () => { if (document.visibilityState === 'visible') void map(true); };
    window.addEventListener('focus', onBack);
    document.addEventListener('visibilitychange', onBack);
    const unsubscribe = source.onPush?.((push) => {
      if (push.type !== 'run.updated' || settle) return;
      settle = setTimeout(() => { settle = undefined; if (live) void look(); }, PUSH_SETTLE_MS);
    });
    return () => {
      live = false;
      clearInterval(timer);
      clearTimeout(expiry);
      clearTimeout(settle);
      window.removeEventListener('focus', onBack);
      document.removeEventListener('visibilitychange', onBack);
      unsubscribe?.();
      current.current = null;
    };
  }, [source, key]);

  const takeOver = useCallback(async (runId: string) => {
    const at = current.current;
    if (!source?.takeOver || !at?.companionId) return;
    const next = await source.takeOver(at.companionId, runId);
    // A server that does not list the others: those shown stay, but the one stopped.
    at.show({ ...next, awaitingAnswers: next.awaitingAnswers ?? at.shown.filter((a) => a.runId !== runId) });
  }, [source]);
  return { awaiting, takeOver: source?.takeOver && awaiting.length ? takeOver : null };
}
