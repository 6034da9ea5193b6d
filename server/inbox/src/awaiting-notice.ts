import { awaitingAnswerText } from '../../../lib/workflow/waiting-on';
import { takeOverNote } from './activity.js';
import { Api } from './api.js';
import { h, isolated } from './dom.js';
import type { ConversationDetail } from './wire.js';

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

export function createAwaitingNotice(composer: HTMLElement, { current, replace, userName, afterChange, showError, focusComposer }: AwaitingNoticeOptions): AwaitingNotice {
  const awaitingText = h('span', { 'data-testid': 'awaiting-answer-text', role: 'status' });
  const takeOverButton = h('button', { type: 'button', class: 'ghost take-over', 'data-testid': 'take-over', text: 'Take over', title: 'Stop the workflow: the customer’s next message comes to you' });
  const awaitingNotice = h('p', { class: 'awaiting-answer', 'data-testid': 'awaiting-answer', hidden: true }, awaitingText, ' ', takeOverButton);
  composer.prepend(awaitingNotice);
  // After Take over: whether the conversation is now this agent's or stays a colleague's.
  const takeOverStatus = h('p', { class: 'take-over-note', 'data-testid': 'take-over-note', role: 'status', hidden: true });
  awaitingNotice.after(takeOverStatus);
  let awaitingRunId: string | null = null;
  let awaitingTimer: ReturnType<typeof setTimeout> | undefined;

  function render(next: ConversationDetail) {
    clearTimeout(awaitingTimer);
    const awaiting = next.status === 'open' ? next.awaitingAnswer ?? null : null;
    // Past its time the question has timed out, whether or not a refresh said so yet.
    const left = awaiting ? Date.parse(awaiting.until) - Date.now() : 0;
    const live = awaiting !== null && left > 0;
    awaitingNotice.hidden = !live;
    awaitingRunId = live ? awaiting.runId : null;
    if (!live) return;
    awaitingText.replaceChildren(...isolated(awaitingAnswerText(awaiting)));
    // It goes at its time on its own: the run wakes for the timeout only when the engine gets to it.
    awaitingTimer = setTimeout(() => { if (current()?.id === next.id) render(next); }, Math.min(left + 50, 2 ** 31 - 1));
  }

  takeOverButton.addEventListener('click', async () => {
    const detail = current();
    if (!detail || !awaitingRunId) return;
    const id = detail.id;
    takeOverButton.disabled = true;
    try {
      const result = await Api.takeOver(id, awaitingRunId);
      const shown = current();
      if (shown?.id === id) {
        // Until the refresh: the Close dialog no longer names the workflow just stopped.
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
      takeOverButton.disabled = false;
    }
  });

  return {
    render,
    hide() { awaitingNotice.hidden = true; },
    resetNote() { takeOverStatus.hidden = true; },
  };
}
