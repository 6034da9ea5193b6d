import { Api } from './api.js';
import { h } from './dom.js';
import type { Contact } from './wire.js';

// The contact's tags: each added or removed through the API at once (several at a time, comma
// separated, as Chatwoot's labels take them); the panel shows the contact the server answers with.

export interface TagsSectionOptions {
  current: () => Contact | null;
  onContact: (contact: Contact) => void;
  showError: (err: unknown) => void;
}

export interface TagsSection {
  readonly el: HTMLElement;
  render(contact: Contact): void;
}

export function createTagsSection({ current, onContact, showError }: TagsSectionOptions): TagsSection {
  const tagList = h('ul', { class: 'tags', 'data-testid': 'tag-list' });
  const tagInput = h('input', { type: 'text', dir: 'auto', placeholder: 'Add a tag…', 'aria-label': 'Add a tag', 'data-testid': 'tag-input', maxlength: 64 });

  async function addTags(text: string, el: HTMLInputElement) {
    const tags = text.split(',').map((t) => t.trim()).filter(Boolean);
    const contact = current();
    if (!tags.length || !contact) return;
    try {
      const updated = await Api.addTags(contact.id, tags);
      el.value = '';
      onContact(updated);
    } catch (err) {
      showError(err);
    }
  }

  async function removeTag(tag: string) {
    const contact = current();
    if (!contact) return;
    try {
      onContact(await Api.removeTag(contact.id, tag));
    } catch (err) {
      showError(err);
    }
  }

  return {
    el: h('section', { class: 'panel-section' }, h('h3', { text: 'Tags' }), tagList,
      h('form', { class: 'tag-form', onsubmit: (e: SubmitEvent) => { e.preventDefault(); void addTags(tagInput.value, tagInput); } }, tagInput,
        h('button', { type: 'submit', class: 'ghost small', 'data-testid': 'tag-add', text: 'Add' }))),
    render(contact) {
      tagList.replaceChildren(...contact.tags.map((tag) => h('li', { class: 'tag', 'data-testid': 'tag', dataset: { tag } },
        h('span', { dir: 'auto', text: tag }),
        h('button', { type: 'button', class: 'tag-remove', 'data-testid': 'tag-remove', 'aria-label': `Remove tag ${tag}`, title: 'Remove', text: '×', onclick: () => removeTag(tag) }))));
      if (!contact.tags.length) tagList.append(h('li', { class: 'muted empty-tags', text: 'No tags' }));
    },
  };
}
