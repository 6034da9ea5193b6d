import { createAdBadge } from './ad-badge.js';
import { createAssignControl, type AssignOptions } from './assign.js';
import { createChannelBadge } from './channel-badge.js';
import { $, contactName, h, shortTime } from './dom.js';
import { createInboxBadge, deletedThere } from './elsewhere.js';
import { CLOSE_REASONS } from './thread.js';
import type { Contact, ConversationDetail } from './wire.js';

/**
 * The conversation's head (static in index.html): who, its status, who has it, its badges, and
 * Close, Reopen and Assign. While another conversation loads it shows none of the last one's.
 */
export function createConversationHead(opts: AssignOptions) {
  const heading = $('[data-testid="conversation-title"]');
  const status = $('[data-testid="conversation-status"]');
  const meta = $('[data-testid="conversation-meta"]');
  const closeButton = $<HTMLButtonElement>('[data-testid="close-button"]');
  const reopenButton = $<HTMLButtonElement>('[data-testid="reopen-button"]');
  const assign = createAssignControl(opts);
  const inboxBadge = createInboxBadge();
  const adBadge = createAdBadge();
  // Before the Chatwoot badge, which is placed right after the status too.
  const channelBadge = createChannelBadge(status);

  function render(c: ConversationDetail) {
    const open = c.status === 'open';
    heading.textContent = contactName(c.contact);
    const why = !open && c.closeReason ? CLOSE_REASONS[c.closeReason] : undefined;
    status.replaceChildren(...(open ? ['Open'] : ['Closed', ...(c.category ? [' · ', h('bdi', { text: c.category })] : []), why ? ` — ${why}` : '']));
    status.className = `status ${c.status}`;
    const assigned = c.assigneeId ? ['Assigned to ', h('bdi', { text: assign.holderName(c.assigneeId) })] : ['Unassigned'];
    meta.replaceChildren(open ? `Opened ${shortTime(c.openedAt)}` : `Closed ${shortTime(c.closedAt)}`, ' · ', ...assigned);
    closeButton.hidden = !open;
    // Deleted in Chatwoot: the API refuses a reopen (409); a new conversation starts there.
    reopenButton.hidden = open || deletedThere(c);
    assign.render(c);
    inboxBadge.render(c);
    adBadge.render(c);
    channelBadge.render({ channelType: c.channelType, inboxKind: c.inbox?.kind });
  }

  /**
   * Until its detail comes, the head names the conversation picked (its list row's contact) and
   * offers nothing: the last one's status and buttons stayed, and "Assign to me" assigned that one.
   */
  function loading(contact?: Contact | null) {
    heading.textContent = contact ? contactName(contact) : '';
    status.replaceChildren();
    status.className = 'status';
    meta.replaceChildren();
    closeButton.hidden = reopenButton.hidden = true;
    assign.reset();
    channelBadge.hide();
    for (const badge of ['conversation-inbox', 'conversation-ad']) $(`[data-testid="${badge}"]`).hidden = true;
  }

  return { heading, closeButton, reopenButton, render, loading };
}
