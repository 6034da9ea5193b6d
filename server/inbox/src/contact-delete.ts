import { ApiError, api } from './api.js';
import { contactName, h } from './dom.js';
import { ConversationList, Nothing, type Contact } from './wire.js';

// Deleting a contact, as data protection law (GDPR) asks: admins only (the API refuses others).
// Erasing is for good, so the panel's button only opens a confirmation that says what goes.

/** The contact panel's last section; `onDelete`: the agent asked to delete the contact shown. */
export function deleteContactSection(onDelete: () => void): HTMLElement {
  return h('section', { class: 'panel-section', 'data-testid': 'delete-section' }, h('h3', { text: 'Delete contact' }),
    h('p', { class: 'muted', text: 'Erase this person and everything about them, as asked under data protection law (GDPR).' }),
    h('button', { type: 'button', class: 'small', 'data-testid': 'delete-contact', text: 'Delete contact…', onclick: onDelete }));
}

export interface DeleteContactDialog {
  open(next: Contact): void;
  close(): void;
}

/**
 * The confirmation (a modal, as for closing a conversation): what goes, that it cannot be undone,
 * and what stays where it came from (Chatwoot). Confirmed, the contact is deleted and the page goes
 * back to the list; their conversations leave the list as the live updates come in.
 * `onDeleted` unset: the page goes back to the list, as the browser's Back would.
 */
export function createDeleteContactDialog(onDeleted?: (contact: Contact) => void): DeleteContactDialog {
  let target: Contact | null = null;
  const title = h('h3', { id: 'delete-contact-title', 'data-testid': 'delete-contact-title' });
  const conversations = h('li', { 'data-testid': 'delete-contact-conversations' });
  const error = h('p', { class: 'dialog-error', 'data-testid': 'delete-contact-error', role: 'alert', hidden: true });
  const cancel = h('button', { type: 'button', class: 'ghost', 'data-testid': 'delete-contact-cancel', text: 'Cancel' });
  const confirm = h('button', { type: 'button', class: 'primary', 'data-testid': 'delete-contact-confirm', text: 'Delete permanently' });
  const dialog = h('dialog', { class: 'close-dialog', 'data-testid': 'delete-contact-dialog', 'aria-labelledby': 'delete-contact-title' },
    h('form', { method: 'dialog', class: 'dialog-form' }, title,
      h('p', { text: 'This erases, for good:' }),
      h('ul', { 'data-testid': 'delete-contact-erases' }, conversations,
        h('li', { text: 'their name, phone, email, tags and field values;' }),
        h('li', { text: 'their WhatsApp, Messenger and Chatwoot links: a later message from them starts a new contact;' }),
        h('li', { text: 'the workflow runs about them and their history; unfinished runs stop.' })),
      h('p', { class: 'muted', text: 'It cannot be undone. A contact that came from Chatwoot is not deleted there: delete them in Chatwoot too, or the next sync brings them back.' }),
      error,
      h('div', { class: 'dialog-actions' }, cancel, confirm)));
  document.body.append(dialog);
  const setConversations = (n: number | null) => {
    conversations.textContent = n === null ? 'their conversations and every message in them;'
      : `${n === 0 ? 'no conversations' : n === 1 ? '1 conversation' : `${n} conversations`}${n ? ' and every message in them' : ''};`;
  };
  cancel.addEventListener('click', () => dialog.close());
  confirm.addEventListener('click', async () => {
    const doomed = target;
    if (!doomed) return;
    confirm.disabled = true;
    cancel.disabled = true;
    error.hidden = true;
    try {
      await api(Nothing, 'DELETE', `/contacts/${encodeURIComponent(doomed.id)}`);
    } catch (err) {
      // Someone else deleted it meanwhile: done all the same.
      if (!(err instanceof ApiError && err.status === 404)) {
        error.textContent = err instanceof Error ? err.message : String(err);
        error.hidden = false;
        return;
      }
    } finally {
      confirm.disabled = false;
      cancel.disabled = false;
    }
    dialog.close();
    if (onDeleted) return onDeleted(doomed);
    // Back to the list, as the app routes any page change (its popstate listener).
    history.pushState(null, '', '/inbox/');
    dispatchEvent(new PopStateEvent('popstate'));
  });
  return {
    open(next: Contact) {
      target = next;
      title.replaceChildren('Delete ', h('bdi', { text: contactName(next) }), '?');
      error.hidden = true;
      setConversations(null);
      // How many, both tabs (the list's count): said in the confirmation when the answer comes.
      void api(ConversationList, 'GET', `/conversations?contactId=${encodeURIComponent(next.id)}&limit=1`)
        .then((page) => { if (target === next) setConversations(page.total); }, () => undefined);
      dialog.showModal();
      cancel.focus();
    },
    close() { if (dialog.open) dialog.close(); },
  };
}
