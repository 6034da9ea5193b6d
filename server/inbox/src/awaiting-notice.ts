import { awaitingWho, questionsWaiting, questionsWaitingText } from '../../../lib/workflow/waiting-on';
import { takeOverNote } from './activity.js';
import { Api } from './api.js';
import { h, isolated } from './dom.js';
import type { AwaitingAnswer, ConversationDetail } from './wire.js';

// Above the composer, before the agent writes: the customer's next message will go to a
// workflow's question, not to them. Take over is Chatwoot's bot handoff: the agent answers and
// the workflow's question stops waiting.

export interface AwaitingNoticeOptions {
  /** The conversation shown now (a take-over's answer may come after the agent moved on). */
  current: () => ConversationDetail | null;
  /** The shown conversation after a take-over, until the next refresh brings it. */
  replace: (next: ConversationDetail) => void;
  userName: (id: string | null) => string;
  afterChange: (id: string) => void;
  showError: (err: unknown, about?: string | null) => void;
  focusComposer: () => void;
}

export interface AwaitingNotice {
  render(next: ConversationDetail): void;
  hide(): void;
  /** Another conversation: the last take-over's note was about the one before. */
  resetNote(): void;
}

/**
 * The questions waiting, the one asked last first, each until its time: past it a question has
 * timed out, whether or not a refresh said so yet. `awaitingAnswer` leads (a typed reply goes to
 * it); `awaitingAnswers` adds the others, which a tapped or quoted reply may still answer.
 */
function waitingNow(next: ConversationDetail, now: number): AwaitingAnswer[] {
  return next.status === 'open' ? questionsWaiting({ awaitingAnswer: next.awaitingAnswer ?? null, awaitingAnswers: next.awaitingAnswers }, now) : [];
}

const TAKE_OVER_ONE = 'Stop the workflow: the customer’s next message comes to you';
const TAKE_OVER_THIS = 'Stop this workflow: its question stops waiting for the customer’s answer';

export function createAwaitingNotice(composer: HTMLElement, { current, replace, userName, afterChange, showError, focusComposer }: AwaitingNoticeOptions): AwaitingNotice {
  const awaitingText = h('span', { 'data-testid': 'awaiting-answer-text', role: 'status' });
  const awaitingNotice = h('p', { class: 'awaiting-answer', 'data-testid': 'awaiting-answer', hidden: true }, awaitingText);
  composer.prepend(awaitingNotice);
  // After Take over: whether the conversation is now this agent's or stays a colleague's.
  const takeOverStatus = h('p', { class: 'take-over-note', 'data-testid': 'take-over-note', role: 'status', hidden: true });
  awaitingNotice.after(takeOverStatus);
  // One Take over per question. Rebuilt only when the questions change, so a live refresh does
  // not take the keyboard focus off the button the agent is on.
  let shownRuns = '';
  let awaitingTimer: ReturnType<typeof setTimeout> | undefined;

  function takeOverButton(awaiting: AwaitingAnswer, several: boolean): HTMLButtonElement {
    // With several, each names its run: "Take over" alone would not say which question stops.
    const label = several ? isolated(`Take over ${awaitingWho(awaiting)}`) : ['Take over'];
    const button = h('button', { type: 'button', class: 'ghost take-over', 'data-testid': 'take-over', dataset: { runId: awaiting.runId }, title: several ? TAKE_OVER_THIS : TAKE_OVER_ONE }, label);
    button.addEventListener('click', () => void takeOver(button, awaiting.runId));
    return button;
  }

  function render(next: ConversationDetail) {
    clearTimeout(awaitingTimer);
    const now = Date.now();
    const live = waitingNow(next, now);
    awaitingNotice.hidden = live.length === 0;
    if (live.length === 0) return;
    const text = questionsWaitingText(live);
    // The same words again are not said again by a screen reader (a live refresh re-renders).
    if (awaitingText.textContent !== text) awaitingText.replaceChildren(...isolated(text));
    const runs = live.map((a) => `${a.runId}\n${awaitingWho(a)}`).join('\n');
    if (runs !== shownRuns) {
      shownRuns = runs;
      const several = live.length > 1;
      awaitingNotice.replaceChildren(awaitingText, ...live.flatMap((a) => [' ', takeOverButton(a, several)]));
      awaitingNotice.classList.toggle('several', several);
    }
    // Each goes at its time on its own: the run wakes for the timeout only when the engine gets to it.
    const soonest = Math.min(...live.map((a) => Date.parse(a.until) - now));
    awaitingTimer = setTimeout(() => { if (current()?.id === next.id) render(next); }, Math.min(soonest + 50, 2 ** 31 - 1));
  }

  async function takeOver(button: HTMLButtonElement, runId: string) {
    const detail = current();
    if (!detail) return;
    const id = detail.id;
    button.disabled = true;
    try {
      const result = await Api.takeOver(id, runId);
      const shown = current();
      if (shown?.id === id) {
        // Until the refresh: the Close dialog no longer names the workflow just stopped, and the
        // notice keeps the other questions still waiting.
        const next = { ...shown, awaitingAnswer: result.awaitingAnswer, awaitingAnswers: (shown.awaitingAnswers ?? []).filter((a) => a.runId !== result.stoppedRunId) };
        replace(next);
        render(next);
        takeOverStatus.textContent = takeOverNote(result.assignment, userName);
        takeOverStatus.hidden = false;
      }
      afterChange(id);
      focusComposer();
    } catch (err) {
      showError(err, id);
    } finally {
      button.disabled = false;
    }
  }

  return {
    render,
    hide() { awaitingNotice.hidden = true; },
    resetNote() { takeOverStatus.hidden = true; },
  };
}
