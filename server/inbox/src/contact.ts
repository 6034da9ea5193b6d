import type { z as zc } from 'zod';
import type { ContactPatchBody } from '../../../lib/contracts/contacts';
import { Api, ApiError } from './api.js';
import { contactName, h } from './dom.js';
import { initials } from './list.js';
import { createMergeSection } from './merge.js';
import type { Contact, FieldDefinition, FieldValue, MergeResult } from './wire.js';

type Patch = zc.input<typeof ContactPatchBody>;
type FieldInput = HTMLInputElement | HTMLSelectElement;

const INPUT_TYPES: Partial<Record<FieldDefinition['type'], string>> = { text: 'text', url: 'url', phone: 'tel', email: 'email', number: 'number', date: 'date' };

/** The value a field input holds, in the type the API expects (empty means "clear"). */
function readField(def: FieldDefinition, el: FieldInput): FieldValue {
  if (def.type === 'checkbox') return (el as HTMLInputElement).checked;
  const raw = el.value.trim();
  if (raw === '') return null;
  return def.type === 'number' ? Number(raw) : raw;
}

function writeField(def: FieldDefinition, el: FieldInput, value: FieldValue | undefined) {
  if (def.type === 'checkbox') (el as HTMLInputElement).checked = value === true;
  else el.value = value === null || value === undefined ? '' : String(value);
}

export interface ContactPanelOptions {
  showError: (err: unknown) => void;
  onContact: (contact: Contact) => void;
  /** Supervisors and admins may merge contacts. */
  canMerge?: () => boolean;
  onMerged?: (result: MergeResult, merged: Contact) => void;
}

export interface ContactPanel {
  render(next: Contact, nextFields?: FieldDefinition[]): void;
  readonly contactId: string | null;
  setFields(next: FieldDefinition[]): void;
  clear(): void;
}

/** Right pane: who the contact is, tags and custom fields, each saved through the API on change. */
export function createContactPanel(root: HTMLElement, { showError, onContact, canMerge, onMerged }: ContactPanelOptions): ContactPanel {
  let contact: Contact | null = null;
  let fields: FieldDefinition[] = [];
  let builtKey = '';
  const inputs = new Map<string, { el: FieldInput; write: (c: Contact) => void }>(); // 'firstName' | 'field:<key>'
  let tagList: HTMLUListElement;
  let heading: HTMLHeadingElement;
  let avatar: HTMLSpanElement;

  async function save(el: FieldInput, patch: Patch) {
    if (!contact) return;
    el.removeAttribute('aria-invalid');
    el.title = '';
    const hint = el.parentElement?.querySelector<HTMLElement>('.field-error');
    if (hint) hint.hidden = true;
    // While the save is in flight a live refresh (another edit's event) must not put the old
    // value back: if the server then refuses this one, the agent would lose what they typed.
    el.dataset.saving = 'true';
    let updated: Contact;
    try {
      updated = await Api.patchContact(contact.id, patch);
    } catch (err) {
      delete el.dataset.saving;
      el.setAttribute('aria-invalid', 'true');
      const message = err instanceof ApiError && err.details[0]?.message ? err.details[0].message : (err as Error).message;
      if (hint) { hint.textContent = message; hint.hidden = false; }
      showError(err);
      return;
    }
    delete el.dataset.saving;
    flash(el);
    onContact(updated);
  }

  function flash(el: HTMLElement) {
    const row = el.closest('.prop');
    row?.classList.add('saved');
    setTimeout(() => row?.classList.remove('saved'), 1200);
  }

  function prop(label: string, id: string, el: FieldInput) {
    el.addEventListener('input', () => {
      el.removeAttribute('aria-invalid');
      const hint = el.parentElement?.querySelector<HTMLElement>('.field-error');
      if (hint) hint.hidden = true;
    });
    return h('div', { class: 'prop' }, h('label', { for: id, text: label }), el, h('p', { class: 'field-error', hidden: true }));
  }

  function basicInput(key: 'firstName' | 'lastName' | 'phone' | 'email', label: string, type: string) {
    const id = `contact-${key}`;
    const el = h('input', { id, type, autocomplete: 'off', 'data-testid': `contact-${key}` });
    const read = () => { const v = el.value.trim(); return key === 'firstName' || key === 'lastName' ? v : v || null; };
    el.addEventListener('change', () => save(el, { [key]: read() }));
    inputs.set(key, { el, write: (c) => { el.value = c[key] ?? ''; } });
    return prop(label, id, el);
  }

  function fieldInput(def: FieldDefinition) {
    const id = `field-input-${def.key}`;
    let el: FieldInput;
    if (def.type === 'list') {
      el = h('select', { id }, h('option', { value: '', text: '—' }), def.options.map((o) => h('option', { value: o, text: o })));
    } else if (def.type === 'checkbox') {
      el = h('input', { id, type: 'checkbox' });
    } else {
      el = h('input', { id, type: INPUT_TYPES[def.type] ?? 'text', autocomplete: 'off', step: def.type === 'number' ? 'any' : null });
    }
    el.dataset.testid = `field-${def.key}`;
    el.addEventListener('change', () => save(el, { fields: { [def.key]: readField(def, el) } }));
    inputs.set(`field:${def.key}`, { el, write: (c) => writeField(def, el, c.fields[def.key]) });
    const row = prop(def.label, id, el);
    row.dataset.testid = 'field';
    row.dataset.key = def.key;
    row.classList.add(`type-${def.type}`);
    return row;
  }

  async function addTags(text: string, el: HTMLInputElement) {
    const tags = text.split(',').map((t) => t.trim()).filter(Boolean);
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
    if (!contact) return;
    try {
      onContact(await Api.removeTag(contact.id, tag));
    } catch (err) {
      showError(err);
    }
  }

  function renderTags(current: Contact) {
    tagList.replaceChildren(...current.tags.map((tag) => h('li', { class: 'tag', 'data-testid': 'tag', dataset: { tag } },
      h('span', { text: tag }),
      h('button', { type: 'button', class: 'tag-remove', 'data-testid': 'tag-remove', 'aria-label': `Remove tag ${tag}`, title: 'Remove', text: '×', onclick: () => removeTag(tag) }))));
    if (!current.tags.length) tagList.append(h('li', { class: 'muted empty-tags', text: 'No tags' }));
  }

  function build() {
    inputs.clear();
    heading = h('h2', { 'data-testid': 'contact-name' });
    avatar = h('span', { class: 'avatar large', 'aria-hidden': 'true' });
    tagList = h('ul', { class: 'tags', 'data-testid': 'tag-list' });
    const tagInput = h('input', { type: 'text', placeholder: 'Add a tag…', 'aria-label': 'Add a tag', 'data-testid': 'tag-input', maxlength: 64 });
    root.replaceChildren(
      h('header', { class: 'contact-head' }, avatar, heading),
      h('section', { class: 'panel-section' }, h('h3', { text: 'Contact' }),
        h('div', { class: 'props two' }, basicInput('firstName', 'First name', 'text'), basicInput('lastName', 'Last name', 'text')),
        h('div', { class: 'props' }, basicInput('phone', 'Phone', 'tel'), basicInput('email', 'Email', 'email'))),
      h('section', { class: 'panel-section' }, h('h3', { text: 'Tags' }), tagList,
        h('form', { class: 'tag-form', onsubmit: (e: SubmitEvent) => { e.preventDefault(); void addTags(tagInput.value, tagInput); } }, tagInput,
          h('button', { type: 'submit', class: 'ghost small', 'data-testid': 'tag-add', text: 'Add' }))),
      h('section', { class: 'panel-section' }, h('h3', { text: 'Fields' }),
        fields.length
          ? h('div', { class: 'props', 'data-testid': 'field-list' }, fields.map(fieldInput))
          : h('p', { class: 'muted', 'data-testid': 'field-list', text: 'No custom fields are defined.' })),
      ...(canMerge?.() ? [createMergeSection({
        current: () => contact, showError,
        onMerged: (result, merged) => { onContact(result.contact); onMerged?.(result, merged); },
      })] : []));
  }

  /** Builds once per contact; later renders only update values, never the input being typed in. */
  function render(next: Contact, nextFields = fields) {
    const key = `${next.id}|${nextFields.map((f) => `${f.key}:${f.type}:${f.options.join(',')}`).join(';')}`;
    contact = next;
    fields = nextFields;
    if (key !== builtKey) { build(); builtKey = key; }
    root.hidden = false;
    root.dataset.contactId = next.id;
    heading.textContent = contactName(next);
    avatar.textContent = initials(next);
    // Never overwrite what the agent is typing, a value being saved, nor a refused value they still have to fix.
    for (const { el, write } of inputs.values()) {
      if (el !== document.activeElement && el.getAttribute('aria-invalid') !== 'true' && !el.dataset.saving) write(next);
    }
    renderTags(next);
  }

  return {
    render,
    get contactId() { return contact?.id ?? null; },
    setFields(next) { if (contact) render(contact, next); else fields = next; },
    clear() { contact = null; builtKey = ''; root.hidden = true; root.replaceChildren(); },
  };
}
