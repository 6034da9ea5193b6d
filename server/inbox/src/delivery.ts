import { Api } from './api.js';
import { h } from './dom.js';
import type { Message } from './wire.js';

// How a message sent through WhatsApp / Messenger fared (Meta's statuses), under the message;
// an agent's reply that failed has Resend beside it, as Chatwoot's and respond.io's failed
// messages do, or Send a template once WhatsApp's window has closed. The server sends it again
// once per click (the button's key), tries later on its own a reply Meta refused for now ("Not
// sent yet, will try again"), and says why one failed.

const LABELS: Record<string, string> = {
  pending: 'Sending…', accepted: 'Accepted by Meta', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Failed', unknown: 'Not confirmed',
  retrying: 'Not sent yet, will try again',
};
const WITH_REASON = new Set(['failed', 'unknown', 'retrying']);
const RESENDABLE = new Set(['failed', 'unknown']);

export interface DeliveryOptions {
  conversationId: string;
  /** Whether replies can go out here now (an open conversation). */
  canReply: boolean;
  /**
   * WhatsApp's window is closed (by time, or WhatsApp refused a reply with 131047): only a
   * template reaches the customer, so a failed reply offers one instead of a Resend that would fail.
   */
  templateInstead?: boolean;
  onTemplate?(): void;
  /** The message as the server has it after Resend. */
  onResent(message: Message): void;
  onError(err: unknown): void;
}

/** One key per button: a double click sends once; a button drawn after the next failure gets another. */
const newKey = () => `resend-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export function deliveryBadge(m: Message, opts: DeliveryOptions): HTMLElement | null {
  if (!m.delivery) return null;
  const { status, error } = m.delivery;
  const badge = h('span', {
    class: `delivery ${status}`, 'data-testid': 'delivery-status', dataset: { status },
    ...(error ? { title: error } : {}),
    text: error && WITH_REASON.has(status) ? `${LABELS[status]}: ${error}` : (LABELS[status] ?? status),
  });
  // An agent's or an app's reply (a workflow's message is sent again by its run).
  if (!opts.canReply || (m.author.type !== 'user' && m.author.type !== 'app') || !RESENDABLE.has(status)) return badge;
  if (opts.templateInstead && opts.onTemplate) {
    const template = h('button', { type: 'button', class: 'ghost resend', 'data-testid': 'send-template-button', text: 'Send a template', title: 'WhatsApp takes only an approved template until the customer writes again' });
    template.addEventListener('click', () => opts.onTemplate?.());
    return h('span', { class: 'delivery-line' }, badge, template);
  }
  const key = newKey();
  const button = h('button', { type: 'button', class: 'ghost resend', 'data-testid': 'resend-button', text: 'Resend', title: 'Send this reply to the customer again' });
  button.addEventListener('click', async () => {
    button.disabled = true;
    button.textContent = 'Resending…';
    try {
      opts.onResent(await Api.resend(opts.conversationId, m.id, key));
    } catch (err) {
      button.disabled = false;
      button.textContent = 'Resend';
      opts.onError(err);
    }
  });
  return h('span', { class: 'delivery-line' }, badge, button);
}
