import { h } from './dom.js';
import type { Message } from './wire.js';

// The thread is not a live region: opening a conversation, or a refresh that rebuilds it, would
// read its whole history. This log says only the messages that arrive while it is shown, once each.

const KEEP = 5;

export interface MessageAnnouncer {
  /** The conversation shown, after each render; `who` names a message's author. */
  update(conversationId: string, messages: readonly Message[], who: (m: Message) => string, mine: (m: Message) => boolean): void;
}

export function createMessageAnnouncer(region: HTMLElement): MessageAnnouncer {
  let shown: string | null = null;
  let seen = new Set<string>();
  return {
    update(conversationId, messages, who, mine) {
      if (conversationId !== shown) {
        // A newly opened conversation: its messages so far are read by moving through the thread.
        shown = conversationId;
        seen = new Set(messages.map((m) => m.id));
        region.replaceChildren();
        return;
      }
      for (const m of messages) {
        if (seen.has(m.id)) continue;
        seen.add(m.id);
        // What the agent sent themself needs no announcing; activity lines do (a workflow failed).
        if (mine(m)) continue;
        const text = m.kind === 'activity' ? m.text : `${who(m)}: ${m.text}`;
        region.append(h('p', { dir: 'auto', text }));
      }
      while (region.childElementCount > KEEP) region.firstElementChild!.remove();
    },
  };
}
