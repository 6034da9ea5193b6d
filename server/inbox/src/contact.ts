import type { z as zc } from 'zod';
import type { ContactPatchBody } from '../../../lib/contracts/contacts';
import { Api, ApiError, api } from './api.js';
import { contactName, h } from './dom.js';
import { initials } from './list.js';
import { createMergeSection } from './merge.js';
import { ConversationList, Nothing, type Contact, type FieldDefinition, type FieldValue, type MergeResult } from './wire.js';

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
  let deleteDialog: ReturnType<typeof createDeleteDialog> | null = null;
  let fields: FieldDefinition[] = [];
  let builtKey = '';
  const inputs = new Map<string, { el: FieldInput; write: (c: Contact) => void }>(); // 'firstName' | 'field:<key>'
  let tagList: HTMLUListElement;
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
      h('span', { dir: 'auto', text: tag }),
      h('button', { type: 'button', class: 'tag-remove', 'data-testid': 'tag-remove', 'aria-label': `Remove tag ${tag}`, title: 'Remove', text: '×', onclick: () => removeTag(tag) }))));
    if (!current.tags.length) tagList.append(h('li', { class: 'muted empty-tags', text: 'No tags' }));
  }

  function build() {
    const seq = ++builds;
    inputs.clear();
    heading = h('h2', { dir: 'auto', 'data-testid': 'contact-name' });
    avatar = h('span', { class: 'avatar large', 'aria-hidden': 'true' });
    tagList = h('ul', { class: 'tags', 'data-testid': 'tag-list' });
    const lifecycle = contact && lifecycleSection(contact);
    const tagInput = h('input', { type: 'text', dir: 'auto', placeholder: 'Add a tag…', 'aria-label': 'Add a tag', 'data-testid': 'tag-input', maxlength: 64 });
    root.replaceChildren(
      h('header', { class: 'contact-head' }, avatar, heading),
      h('section', { class: 'panel-section' }, h('h3', { text: 'Contact' }),
        h('div', { class: 'props two' }, basicInput('firstName', 'First name', 'text'), basicInput('lastName', 'Last name', 'text')),
        h('div', { class: 'props' }, basicInput('phone', 'Phone', 'tel'), basicInput('email', 'Email', 'email'))),
      ...(lifecycle ? [lifecycle] : []),
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
    // Admins only: added once the role is known, if the panel still shows what it was built for.
    void mayDelete().then((allowed) => { if (allowed && seq === builds && root.isConnected) root.append(deleteSection()); });
  }

  function deleteSection() {
    return h('section', { class: 'panel-section', 'data-testid': 'delete-section' }, h('h3', { text: 'Delete contact' }),
      h('p', { class: 'muted', text: 'Erase this person and everything about them, as asked under data protection law (GDPR).' }),
      h('button', {
        type: 'button', class: 'small', 'data-testid': 'delete-contact', text: 'Delete contact…',
        onclick: () => { if (contact) { deleteDialog ??= createDeleteDialog(); deleteDialog.open(contact); } },
      }));
  }

  /**
   * The confirmation (a modal, as for closing a conversation): what goes, that it cannot be undone,
   * and what stays where it came from (Chatwoot). Confirmed, the contact is deleted and the page goes
   * back to the list; their conversations leave the list as the live updates come in.
   */
  function createDeleteDialog() {
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

  /** Builds once per contact; later renders only update values, never the input being typed in. */
  function render(next: Contact, nextFields = fields) {
    const key = `${next.id}|${nextFields.map((f) => `${f.key}:${f.type}:${f.options.join(',')}`).join(';')}|${stages.length ? stages.join('\n') : next.lifecycle ? '(in a stage)' : ''}`;
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
    renderTags(next);
  }

  return {
    render,
    get contactId() { return contact?.id ?? null; },
    setFields(next) { if (contact) render(contact, next); else fields = next; },
    clear() { contact = null; builtKey = ''; builds++; adminCheck = null; stagesAsked = false; stages = []; deleteDialog?.close(); root.hidden = true; root.replaceChildren(); },
  };
}
