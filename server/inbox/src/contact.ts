import type { z as zc } from 'zod';
import type { ContactPatchBody } from '../../../lib/contracts/contacts';
import { Api, ApiError } from './api.js';
import { createDeleteContactDialog, deleteContactSection, type DeleteContactDialog } from './contact-delete.js';
import { createTagsSection, type TagsSection } from './contact-tags.js';
import { contactName, h } from './dom.js';
import { INPUT_TYPES, readField, writeField, type FieldInput } from './field-input.js';
import { initials } from './list.js';
import { createMergeSection } from './merge.js';
import type { Contact, FieldDefinition, MergeResult } from './wire.js';

type Patch = zc.input<typeof ContactPatchBody>;

export interface ContactPanelOptions {
  showError: (err: unknown) => void;
  onContact: (contact: Contact) => void;
  /** Supervisors and admins may merge contacts. */
  canMerge?: () => boolean;
  onMerged?: (result: MergeResult, merged: Contact) => void;
  /** Admins may delete contacts (the API refuses others); unset: the panel asks GET /me once. */
  canDelete?: () => boolean;
  /** After a delete; unset: the page goes back to the list, as the browser's Back would. */
  onDeleted?: (contact: Contact) => void;
}

export interface ContactPanel {
  render(next: Contact, nextFields?: FieldDefinition[]): void;
  readonly contactId: string | null;
  setFields(next: FieldDefinition[]): void;
  clear(): void;
}

/** Right pane: who the contact is, tags and custom fields, each saved through the API on change. */
export function createContactPanel(root: HTMLElement, { showError, onContact, canMerge, onMerged, canDelete, onDeleted }: ContactPanelOptions): ContactPanel {
  let contact: Contact | null = null;
  /** Whether the signed-in user is an admin, asked once (again after clear(): sign-out, another user). */
  let adminCheck: Promise<boolean> | null = null;
  const mayDelete = (): Promise<boolean> => {
    if (canDelete) return Promise.resolve(canDelete());
    adminCheck ??= Api.me().then((me) => me.user.role === 'admin', () => { adminCheck = null; return false; });
    return adminCheck;
  };
  let builds = 0;
  let deleteDialog: DeleteContactDialog | null = null;
  let fields: FieldDefinition[] = [];
  let builtKey = '';
  const inputs = new Map<string, { el: FieldInput; write: (c: Contact) => void }>(); // 'firstName' | 'field:<key>'
  let tags: TagsSection;
  let heading: HTMLHeadingElement;
  let avatar: HTMLSpanElement;
  /** The workspace's lifecycle stages, asked once the panel first shows a contact (again after clear()). */
  let stages: string[] = [];
  let stagesAsked = false;
  const loadStages = () => {
    if (stagesAsked) return;
    stagesAsked = true;
    Api.lifecycleStages().then(({ stages: next }) => {
      stages = next;
      if (contact && next.length) render(contact);
    }, () => { stagesAsked = false; }); // asked again on the next render
  };

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
      // The server's words (Chatwoot's reason, when the contact lives there), under the field.
      const message = err instanceof ApiError && err.details[0]?.message ? err.details[0].message : (err as Error).message;
      if (hint) {
        hint.textContent = message;
        // Out of reach for now (Chatwoot or this server): the same value again is a click, not
        // a retype (an unchanged input fires no change event).
        if (err instanceof ApiError && [0, 502, 503].includes(err.status)) {
          hint.append(' ', h('button', { type: 'button', class: 'field-retry', 'data-testid': 'field-retry', text: 'Try again', onclick: () => void save(el, patch) }));
        }
        hint.hidden = false;
      }
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
    return h('div', { class: 'prop' }, h('label', { for: id, dir: 'auto', text: label }), el, h('p', { class: 'field-error', hidden: true }));
  }

  function basicInput(key: 'firstName' | 'lastName' | 'phone' | 'email', label: string, type: string) {
    const id = `contact-${key}`;
    // dir=auto: an Arabic or Hebrew name reads right to left, its punctuation where it belongs.
    const el = h('input', { id, type, autocomplete: 'off', dir: 'auto', 'data-testid': `contact-${key}` });
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
      el = h('input', { id, type: INPUT_TYPES[def.type] ?? 'text', autocomplete: 'off', dir: 'auto', step: def.type === 'number' ? 'any' : null });
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

  /**
   * respond.io's lifecycle stage, one of the stages in settings or none, set as any other contact
   * value (PATCH {lifecycle}); a workflow's Contact Field Updated `lifecycle` fires on it. Shown
   * once stages are defined, or while the contact is in one.
   */
  function lifecycleSection(current: Contact) {
    if (!stages.length && !current.lifecycle) return null;
    const id = 'contact-lifecycle';
    const el = h('select', { id, 'data-testid': 'contact-lifecycle' }, h('option', { value: '', text: 'None' }), stages.map((stage) => h('option', { value: stage, text: stage })));
    el.addEventListener('change', () => save(el, { lifecycle: el.value || null }));
    inputs.set('lifecycle', {
      el,
      write: (c) => {
        const value = c.lifecycle ?? '';
        // A stage renamed or removed in settings since: shown as it is, not as "None".
        if (value && ![...el.options].some((o) => o.value === value)) el.append(h('option', { value, text: `${value} (no longer a stage)` }));
        el.value = value;
      },
    });
    return h('section', { class: 'panel-section', 'data-testid': 'lifecycle-section' }, h('h3', { text: 'Lifecycle' }), h('div', { class: 'props' }, prop('Stage', id, el)));
  }

  function build() {
    const seq = ++builds;
    inputs.clear();
    heading = h('h2', { dir: 'auto', 'data-testid': 'contact-name' });
    avatar = h('span', { class: 'avatar large', 'aria-hidden': 'true' });
    tags = createTagsSection({ current: () => contact, onContact, showError });
    const lifecycle = contact && lifecycleSection(contact);
    root.replaceChildren(
      h('header', { class: 'contact-head' }, avatar, heading),
      h('section', { class: 'panel-section' }, h('h3', { text: 'Contact' }),
        h('div', { class: 'props two' }, basicInput('firstName', 'First name', 'text'), basicInput('lastName', 'Last name', 'text')),
        h('div', { class: 'props' }, basicInput('phone', 'Phone', 'tel'), basicInput('email', 'Email', 'email'))),
      ...(lifecycle ? [lifecycle] : []),
      tags.el,
      h('section', { class: 'panel-section' }, h('h3', { text: 'Fields' }),
        fields.length
          ? h('div', { class: 'props', 'data-testid': 'field-list' }, fields.map(fieldInput))
          : h('p', { class: 'muted', 'data-testid': 'field-list', text: 'No custom fields are defined.' })),
      ...(canMerge?.() ? [createMergeSection({
        current: () => contact, showError,
        onMerged: (result, merged) => { onContact(result.contact); onMerged?.(result, merged); },
      })] : []));
    // Admins only: added once the role is known, if the panel still shows what it was built for.
    void mayDelete().then((allowed) => { if (allowed && seq === builds && root.isConnected) root.append(deleteContactSection(openDeleteDialog)); });
  }

  function openDeleteDialog() {
    if (contact) { deleteDialog ??= createDeleteContactDialog(onDeleted); deleteDialog.open(contact); }
  }

  /** Builds once per contact; later renders only update values, never the input being typed in. */
  function render(next: Contact, nextFields = fields) {
    // The sections a role gives (Merge, Delete) count too: a role changed while the panel is open rebuilds it.
    const powers = `${canMerge?.() ? 'merge' : ''}|${canDelete?.() ? 'delete' : ''}`;
    const key = `${next.id}|${nextFields.map((f) => `${f.key}:${f.type}:${f.options.join(',')}`).join(';')}|${stages.length ? stages.join('\n') : next.lifecycle ? '(in a stage)' : ''}|${powers}`;
    contact = next;
    loadStages();
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
    tags.render(next);
  }

  return {
    render,
    get contactId() { return contact?.id ?? null; },
    setFields(next) { if (contact) render(contact, next); else fields = next; },
    clear() { contact = null; builtKey = ''; builds++; adminCheck = null; stagesAsked = false; stages = []; deleteDialog?.close(); root.hidden = true; root.replaceChildren(); },
  };
}
