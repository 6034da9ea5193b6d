import type { z as zc } from 'zod';
import type { CloseConversationBody } from '../../../lib/contracts/conversations';
import { closeWarning } from './activity.js';
import { Api, ApiError } from './api.js';
import { $, h, isolated } from './dom.js';
import type { ConversationDetail } from './wire.js';

// The Close dialog (static in index.html): a closing category and summary, as Chatwoot and
// respond.io ask for them. A refused close keeps the dialog open with the server's reason in it.

export interface CloseDialogOptions {
  /** The conversation shown when the agent confirms (the one the dialog closes). */
  current: () => ConversationDetail | null;
  onClosed: (id: string) => void;
}

export interface CloseDialog {
  open(): void;
  setCategories(list: string[]): void;
}

export function createCloseDialog({ current, onClosed }: CloseDialogOptions): CloseDialog {
  const dialog = $<HTMLDialogElement>('[data-testid="close-dialog"]');
  const categorySelect = $<HTMLSelectElement>('[data-testid="close-category"]');
  const summary = $<HTMLTextAreaElement>('[data-testid="close-summary"]');
  const dialogError = h('p', { class: 'dialog-error', 'data-testid': 'close-error', hidden: true });
  // A workflow waiting here for the customer's answer stops with the close.
  const closeWarningText = h('p', { class: 'dialog-warning', 'data-testid': 'close-warning', hidden: true });
  $('h3', dialog).after(closeWarningText);
  $('.dialog-actions', dialog).before(dialogError);
  let categories: string[] = [];

  function open() {
    const options = [h('option', { value: '', text: categories.length ? 'Choose a category…' : 'No category' })];
    for (const c of categories) options.push(h('option', { value: c, text: c }));
    categorySelect.replaceChildren(...options);
    summary.value = '';
    dialogError.hidden = true;
    const detail = current();
    const warning = closeWarning(detail?.status === 'open' ? detail.awaitingAnswers ?? [] : []);
    closeWarningText.replaceChildren(...isolated(warning ?? ''));
    closeWarningText.hidden = !warning;
    dialog.showModal();
    categorySelect.focus();
  }

  $('[data-testid="close-cancel"]').addEventListener('click', () => dialog.close());
  dialog.addEventListener('submit', async (event) => {
    event.preventDefault();
    const detail = current();
    if (!detail) return;
    const id = detail.id;
    const body: zc.input<typeof CloseConversationBody> = {};
    if (categorySelect.value) body.category = categorySelect.value;
    if (summary.value.trim()) body.summary = summary.value.trim();
    try {
      await Api.close(id, body);
      dialog.close();
      onClosed(id);
    } catch (err) {
      dialogError.textContent = err instanceof ApiError ? err.message : String(err);
      dialogError.hidden = false;
    }
  });

  return { open, setCategories(list) { categories = list; } };
}
