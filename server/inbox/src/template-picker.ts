import type { z as zc } from 'zod';
import type { WhatsAppTemplateRef } from '../../../lib/contracts/whatsapp-template-ref';
import { fillTemplateBody } from '../../../lib/workflow/template-body';
import { Api, ApiError } from './api.js';
import { h } from './dom.js';
import type { Message, WhatsAppTemplate } from './wire.js';

// "Send a template": once WhatsApp's 24-hour window has closed, only an approved template reaches
// the customer (respond.io's composer offers the same). The number's approved templates are read
// from Meta when the picker opens; the agent fills in the template's variables and sees the body
// as the customer will read it; the server sends it as the Send message step does and stores that
// text as the message. Templates an agent cannot fill in here (a one-time code, a carousel, a
// location header, an offer's end) are listed disabled, saying where to send them from.

type Ref = zc.input<typeof WhatsAppTemplateRef>;

/** Why an agent cannot send it from here; null: the picker asks for all it needs. */
function notHere(t: WhatsAppTemplate): string | null {
  if (t.notSendable) return t.notSendable;
  if (t.authentication) return 'a one-time code is sent by a workflow';
  if (t.carousel) return 'a carousel is sent by a workflow';
  if (t.header?.type === 'location') return 'its location header is sent by a workflow';
  if (t.limitedTimeOffer?.hasExpiration) return 'an offer with an end is sent by a workflow';
  return null;
}

interface Field { label: string; input: HTMLInputElement }

export interface TemplatePicker {
  open(conversationId: string): void;
}

export function createTemplatePicker(opts: { onSent(conversationId: string, message: Message): void }): TemplatePicker {
  const select = h('select', { 'data-testid': 'template-select', 'aria-label': 'Template' });
  const fields = h('div', { class: 'template-fields', 'data-testid': 'template-fields' });
  const preview = h('p', { class: 'template-preview', 'data-testid': 'template-preview' });
  const error = h('p', { class: 'dialog-error', 'data-testid': 'template-error', hidden: true });
  const sendButton = h('button', { type: 'submit', class: 'primary', 'data-testid': 'template-send', text: 'Send template' });
  const cancel = h('button', { type: 'button', class: 'ghost', 'data-testid': 'template-cancel', text: 'Cancel' });
  const form = h('form', { method: 'dialog', class: 'dialog-form' },
    h('h3', { text: 'Send a template' }),
    h('label', { text: 'Approved template' }), select, fields,
    h('label', { text: 'The customer will read' }), preview, error,
    h('div', { class: 'dialog-actions' }, cancel, sendButton));
  const dialog = h('dialog', { class: 'close-dialog template-dialog', 'data-testid': 'template-dialog' }, form);
  document.body.append(dialog);

  let conversationId = '';
  let templates: WhatsAppTemplate[] = [];
  let chosen: WhatsAppTemplate | null = null;
  let body: Field[] = [];
  let header: Field | null = null;
  let buttons: (Field & { index: number; type: 'url' | 'copy_code' })[] = [];
  // One key per opening: a send retried (or clicked twice) goes once.
  let key = '';

  const field = (label: string, testid: string, placeholder = ''): Field => {
    const input = h('input', { type: 'text', 'data-testid': testid, 'aria-label': label, placeholder });
    input.addEventListener('input', render);
    return { label, input };
  };
  const filled = () => [...body, ...(header ? [header] : []), ...buttons].every((f) => f.input.value.trim() !== '');

  function render() {
    preview.textContent = chosen ? fillTemplateBody(chosen.body ?? '', body.map((f) => f.input.value), chosen.parameterNames) || '(no text)' : '';
    sendButton.disabled = !chosen || !filled();
  }

  function choose(t: WhatsAppTemplate | null) {
    chosen = t;
    const names = t?.parameterNames;
    body = Array.from({ length: t?.parameterCount ?? 0 }, (_, i) => field(names ? `{{${names[i]}}}` : `{{${i + 1}}}`, 'template-parameter'));
    header = !t?.header ? null
      : t.header.type === 'text' ? field('Header value', 'template-header')
        : field(`Header ${t.header.type} link`, 'template-header', 'https://…');
    buttons = (t?.buttons ?? []).flatMap((b) => (b.type === 'url' || b.type === 'copy_code'
      ? [{ ...field(b.type === 'url' ? `Button “${b.text}”: end of its link` : `Button “${b.text}”: the code`, 'template-button-value'), index: b.index, type: b.type }]
      : []));
    fields.replaceChildren(...[...(header ? [header] : []), ...body, ...buttons].map((f) => h('label', { class: 'template-field' }, h('span', { text: f.label }), f.input)));
    error.hidden = true;
    render();
  }

  function refOf(t: WhatsAppTemplate): Ref {
    const h0 = t.header;
    return {
      name: t.name, language: t.language, parameters: body.map((f) => f.input.value.trim()),
      ...(t.parameterNames ? { parameterNames: t.parameterNames } : {}),
      ...(h0 && header ? { header: h0.type === 'text'
        ? { type: 'text', text: header.input.value.trim(), ...(h0.parameterName ? { parameterName: h0.parameterName } : {}) }
        : { type: h0.type as 'image' | 'video' | 'document', url: header.input.value.trim() } } : {}),
      // Flow and catalog buttons take nothing from the agent: Meta's defaults (template-components.ts).
      ...(t.buttons.length ? { buttons: [
        ...buttons.map((b) => ({ index: b.index, type: b.type, value: b.input.value.trim() })),
        ...t.buttons.filter((b) => b.type === 'flow' || b.type === 'catalog').map((b) => ({ index: b.index, type: b.type as 'flow' | 'catalog' })),
      ] } : {}),
    };
  }

  async function load() {
    select.replaceChildren(h('option', { value: '', text: 'Loading templates…' }));
    select.disabled = true;
    choose(null);
    try {
      templates = (await Api.templates(conversationId)).templates;
    } catch (err) {
      templates = [];
      error.textContent = err instanceof ApiError ? err.message : String(err);
      error.hidden = false;
    }
    select.disabled = false;
    select.replaceChildren(
      h('option', { value: '', text: templates.length ? 'Choose a template…' : 'This number has no approved templates' }),
      ...templates.map((t, i) => {
        const why = notHere(t);
        return h('option', { value: String(i), disabled: why !== null, text: `${t.name} · ${t.language}${why ? ` (${why})` : ''}` });
      }));
  }

  select.addEventListener('change', () => choose(templates[Number(select.value)] && select.value !== '' ? templates[Number(select.value)]! : null));
  cancel.addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!chosen || !filled()) return;
    const id = conversationId;
    sendButton.disabled = true;
    error.hidden = true;
    try {
      const message = await Api.sendTemplate(id, refOf(chosen), key);
      dialog.close();
      opts.onSent(id, message);
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : String(err);
      error.hidden = false;
      render();
    }
  });

  return {
    open(id) {
      conversationId = id;
      key = `template-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
      error.hidden = true;
      dialog.showModal();
      void load();
    },
  };
}
