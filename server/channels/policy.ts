import type { ChannelWindow } from '../../lib/contracts/channels';
import { fitButtons } from './button-fit';
import { textTooLong, type SendSpec } from './send-spec';

/**
 * What Meta will take on this channel now: the spec itself, the fallback template when WhatsApp's
 * window is closed, or the reason nothing can be sent (the step fails with it, the inbox shows it).
 */
export function planSend(kind: 'whatsapp' | 'messenger', spec: SendSpec, window: ChannelWindow, fallback?: SendSpec): { spec: SendSpec; notes: string[] } | { error: string } {
  const inWindow = planInWindow(kind, spec, window, fallback);
  // Buttons that do not fit go as a list, or are refused (button-fit.ts): before the length check,
  // as a list's body holds more than reply buttons'.
  const fitted = 'spec' in inWindow ? fitButtons(kind, inWindow.spec) : inWindow;
  const plan = 'spec' in fitted && 'spec' in inWindow ? { spec: fitted.spec, notes: [...inWindow.notes, ...fitted.notes] } : fitted;
  // Meta refuses a text over the channel's limit (its values filled in): the step says so first.
  const long = 'spec' in plan ? textTooLong(kind, plan.spec, 'this one') : null;
  return long ? { error: long } : plan;
}

/** planSend without the length check: what the window (and the channel's kind) lets through, from the spec's kind and Messenger messaging type alone. */
export function planInWindow(kind: 'whatsapp' | 'messenger', spec: SendSpec, window: ChannelWindow, fallback?: SendSpec): { spec: SendSpec; notes: string[] } | { error: string } {
  if (kind === 'messenger') {
    if (spec.kind === 'template') return { error: 'WhatsApp templates cannot be sent on Messenger; send text, media or buttons with a message tag instead' };
    if (!window.open && spec.messenger?.messagingType !== 'MESSAGE_TAG') {
      return { error: `${window.note}. Set the Messenger messaging type to MESSAGE_TAG with a tag to send anyway.` };
    }
    const notes = spec.kind === 'media' && spec.text.trim() ? ['Messenger attachments carry no caption: the caption goes as a message of its own right after the attachment'] : [];
    return { spec, notes };
  }
  if (window.open || spec.kind === 'template') return { spec, notes: [] };
  if (fallback) return { spec: fallback, notes: [`${window.note}; sent the fallback template ${fallback.template?.name ?? ''} instead`] };
  return { error: `${window.note}. Send an approved template, or give this step a fallback template.` };
}
