import { Api } from './api.js';
import { contactName, h } from './dom.js';
import type { Contact, MergeResult } from './wire.js';

export interface MergeSectionOptions {
  /** The contact shown: it survives the merge. */
  current: () => Contact | null;
  onMerged: (result: MergeResult, merged: Contact) => void;
  showError: (err: unknown) => void;
}

/**
 * "Merge": find another contact (the same person written in twice) and merge it into this one.
 * Supervisors and admins only (the API refuses others too). Two clicks: choose, then confirm, as
 * a merge cannot be undone.
 */
export function createMergeSection({ current, onMerged, showError }: MergeSectionOptions): HTMLElement {
  const input = h('input', { type: 'search', placeholder: 'Name, email or phone', 'aria-label': 'Find a contact to merge', 'data-testid': 'merge-search', maxlength: 100 });
  const results = h('ul', { class: 'merge-results', 'data-testid': 'merge-results', 'aria-live': 'polite' });
  const status = h('p', { class: 'muted', role: 'status', 'data-testid': 'merge-status' });

  async function search() {
    const me = current();
    const q = input.value.trim();
    if (!me || !q) return;
    try {
      const { contacts } = await Api.searchContacts(q);
      const others = contacts.filter((c) => c.id !== me.id);
      results.replaceChildren(...(others.length ? others.map(candidate) : [h('li', { class: 'muted', text: 'No other contact matches' })]));
    } catch (err) {
      showError(err);
    }
  }

  function candidate(other: Contact) {
    const label = `${contactName(other)}${other.email ? ` · ${other.email}` : ''}${other.phone ? ` · ${other.phone}` : ''}`;
    const button = h('button', { type: 'button', class: 'ghost small', 'data-testid': 'merge-choose', text: 'Merge into this contact' });
    button.addEventListener('click', async () => {
      if (button.dataset.confirm !== 'true') {
        button.dataset.confirm = 'true';
        button.textContent = `Confirm: merge ${contactName(other)} here`;
        return;
      }
      const me = current();
      if (!me) return;
      button.disabled = true;
      try {
        const result = await Api.merge(me.id, other.id);
        results.replaceChildren();
        input.value = '';
        status.textContent = `Merged ${contactName(other)} into this contact${result.closedConversationId ? '; their open conversation was closed' : ''}.`;
        onMerged(result, other);
      } catch (err) {
        button.disabled = false;
        showError(err);
      }
    });
    return h('li', { 'data-testid': 'merge-candidate', dataset: { contactId: other.id } }, h('span', { text: label }), button);
  }

  return h('section', { class: 'panel-section', 'data-testid': 'merge-section' }, h('h3', { text: 'Merge' }),
    h('form', { class: 'tag-form', onsubmit: (e: SubmitEvent) => { e.preventDefault(); void search(); } }, input,
      h('button', { type: 'submit', class: 'ghost small', 'data-testid': 'merge-find', text: 'Find' })),
    results, status);
}
