import { h } from './dom.js';

export type ReplyKind = 'message' | 'comment';

export interface QueuedSend {
  /** Enter or Send while conversation `id` loads: its reply (or note) goes once its detail is in. */
  wait(id: string, kind: ReplyKind): void;
  /** Its detail came: the kind of reply waiting for it (then no longer waiting), or null. */
  take(id: string): ReplyKind | null;
  /** It came and cannot take the reply as it is (closed, its channel's window shut): the text stays. */
  refuse(): void;
  /** The agent left it first: nothing goes (the text stays as its draft). */
  cancel(): void;
}

/**
 * A reply sent while the conversation picked is still loading. Chatwoot's reply box works at once
 * on the conversation picked; here the page needs its detail first (open or closed, what its
 * channel lets through), so the reply waits for it, says so, and goes to the conversation it was
 * typed in: dropped without a word before. The box's text at that moment is what goes.
 */
export function createQueuedSend(composer: HTMLFormElement): QueuedSend {
  const line = h('p', { class: 'composer-pending', 'data-testid': 'composer-pending', role: 'status', hidden: true });
  composer.append(line);
  let waiting: { id: string; kind: ReplyKind } | null = null;
  const say = (text: string | null) => {
    line.textContent = text ?? '';
    line.hidden = text === null;
  };
  return {
    wait(id, kind) {
      waiting = { id, kind };
      say(`Your ${kind === 'comment' ? 'note' : 'reply'} goes once this conversation has loaded…`);
    },
    take(id) {
      if (waiting?.id !== id) return null;
      const { kind } = waiting;
      waiting = null;
      say(null);
      return kind;
    },
    refuse() { say('Not sent: this conversation cannot take it as it is (see above). Your text is kept.'); },
    cancel() {
      waiting = null;
      say(null);
    },
  };
}
