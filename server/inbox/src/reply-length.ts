import { metaLength } from '../../../lib/contracts/choice-limits';
import { replyCounter, replyTooLong, type ReplyPlace } from '../../../lib/contracts/reply-limits';
import { h } from './dom.js';

// How long the reply in the composer is against where it goes (WhatsApp 4,096 characters,
// Messenger 2,000, a note or a built-in message 4,096): a counter once it nears the limit, and past
// it the refusal in plain words, Send held back, before the server would refuse it with the same
// words (lib/contracts/reply-limits.ts). Chatwoot and respond.io count down the same way.

export interface ReplyLength {
  /** The text or where it goes changed; true while it is too long to send. */
  update(place: ReplyPlace): boolean;
  readonly tooLong: boolean;
}

export function createReplyLength(input: HTMLTextAreaElement): ReplyLength {
  // Read out when it refuses, not at every keystroke of the count before it.
  const line = h('p', { id: 'composer-count', class: 'composer-count', 'data-testid': 'composer-count', 'aria-live': 'off', hidden: true });
  input.after(line);
  let tooLong = false;
  return {
    update(place) {
      // As the server counts it: the text it gets is trimmed.
      const length = metaLength(input.value.trim());
      const refusal = replyTooLong(place, length);
      const counter = refusal ?? replyCounter(place, length);
      tooLong = refusal !== null;
      line.hidden = counter === null;
      line.textContent = counter ?? '';
      line.classList.toggle('over', tooLong);
      line.setAttribute('aria-live', tooLong ? 'polite' : 'off');
      if (tooLong) {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', line.id);
      } else {
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      }
      return tooLong;
    },
    get tooLong() { return tooLong; },
  };
}
