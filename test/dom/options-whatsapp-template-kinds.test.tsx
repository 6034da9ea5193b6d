import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { WhatsAppTemplate } from '../../lib/contracts/channels';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { savedAsDraft, emptyEditorApi, ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

// The Send message step's template picker for flow, catalog, authentication, limited-time offer
// and media carousel templates: what each asks for, checked as the admin saves, and saved.
// (What each kind sends: server/channels/template-components.ts, which cites Meta's pages.)

const at = '2025-01-01T00:00:00.000Z';
const draft: WorkflowDraft = { name: 'Kinds', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['lead'] }, oncePerContact: false, steps: [] };
const base = { status: 'APPROVED', category: 'MARKETING', parameterNames: null, header: null, buttons: [], authentication: null, limitedTimeOffer: null, carousel: null, notSendable: null };
const listed = (name: string, body: string, parameterCount: number, more: Partial<WhatsAppTemplate> = {}): WhatsAppTemplate =>
  ({ ...base, id: name, name, language: 'en_US', body, parameterCount, ...more });
const cardButtons = [{ index: 0, type: 'quick_reply' as const, text: 'More like this' }, { index: 1, type: 'url' as const, text: 'Shop' }];

const templates: WhatsAppTemplate[] = [
  listed('flow_signup', 'Sign up in a minute, {{1}}.', 1, { buttons: [{ index: 1, type: 'flow', text: 'Sign up' }] }),
  listed('intro_catalog_offer', 'Get Rs {{1}} off!', 1, { buttons: [{ index: 0, type: 'catalog', text: 'View catalog' }] }),
  listed('verification_code', '*{{1}}* is your verification code.', 0, { category: 'AUTHENTICATION', authentication: { otpType: 'copy_code' } }),
  listed('caribbean_offer', 'Good news, {{1}}!', 1, {
    header: { type: 'image', parameterName: null }, limitedTimeOffer: { text: 'Expiring offer!', hasExpiration: true },
    buttons: [{ index: 0, type: 'copy_code', text: 'Copy offer code' }, { index: 1, type: 'url', text: 'Book now!' }],
  }),
  listed('succulents', 'Rare succulents for sale, {{1}}!', 1, { carousel: { cards: [
    { header: 'image', body: null, parameterCount: 0, parameterNames: null, buttons: cardButtons },
    { header: 'video', body: 'Only {{1}} left', parameterCount: 1, parameterNames: null, buttons: cardButtons },
  ] } }),
  listed('abandoned_cart', 'Still thinking it over?', 0, { notSendable: 'Not sendable from a workflow: it has an MPM button (a multi-product message)' }),
];

function serve() {
  return serveApi({
    ...emptyEditorApi,
    'GET /channels': ok({ channels: [{ id: 'cnx_wa', kind: 'whatsapp', name: 'Support line', displayName: null, tokenLastFour: '••••WXYZ', status: 'active', lastError: null, createdAt: at }] }),
    'GET /channels/cnx_wa/whatsapp-templates': ok({ templates }),
    'POST /workflows': savedAsDraft(at),
  });
}

/** A new Send message step of kind template with `name` picked. */
async function pick(user: ReturnType<typeof userEvent.setup>, name: string) {
  renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
  await user.selectOptions(screen.getByLabelText('New step'), 'Send a message');
  await user.click(screen.getByRole('button', { name: 'Add step' }));
  await user.selectOptions(screen.getByLabelText('Message type'), 'template');
  const picker = await screen.findByLabelText('Pick a template') as HTMLSelectElement;
  await user.selectOptions(picker, [...picker.options].find((o) => o.textContent === `${name} (en_US)`)!);
  return picker;
}
/** Types into a field as pasted (so `{{` needs no escaping). */
async function fill(user: ReturnType<typeof userEvent.setup>, label: string, text: string) {
  const el = screen.getByLabelText(label) as HTMLInputElement;
  await user.clear(el);
  await user.click(el);
  await user.paste(text);
}
async function saved(user: ReturnType<typeof userEvent.setup>, calls: ApiCall[]) {
  await user.click(screen.getByRole('button', { name: 'Save' }));
  await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/workflows')).toBe(true));
  const config = (calls.find((c) => c.method === 'POST' && c.path === '/workflows')!.body as WorkflowDraft).steps[0]!.config as { kind: string; template: unknown };
  expect(config.kind).toBe('template');
  return config.template;
}
const refusedOnSave = async (user: ReturnType<typeof userEvent.setup>, message: string | RegExp, calls: ApiCall[]) => {
  await user.click(screen.getByRole('button', { name: 'Save' }));
  expect((await screen.findAllByText(message)).length).toBeGreaterThan(0);
  expect(calls.some((c) => c.method === 'POST')).toBe(false);
};

describe('template picker: flow, catalog, authentication, offer and carousel templates', () => {
  it('offers them as sendable; a multi-product template stays disabled, saying why', async () => {
    const user = userEvent.setup();
    serve();
    const picker = await pick(user, 'flow_signup');
    const options = Object.fromEntries([...picker.options].map((o) => [o.textContent, o.disabled]));
    expect(options).toMatchObject({
      'flow_signup (en_US)': false, 'intro_catalog_offer (en_US)': false, 'verification_code (en_US)': false, 'caribbean_offer (en_US)': false, 'succulents (en_US)': false,
      'abandoned_cart (en_US) — Not sendable from a workflow: it has an MPM button (a multi-product message)': true,
    });
  });

  it('a flow button: an optional token and first-screen data, the data checked as a JSON object', async () => {
    const user = userEvent.setup();
    const calls = serve();
    await pick(user, 'flow_signup');
    await fill(user, 'Parameter {{1}}', '{{$contact.firstName}}');
    await fill(user, 'Button 2: data for the flow\'s first screen (optional)', '{"first_name": }');
    await refusedOnSave(user, /^The flow data is a JSON object/, calls);
    await fill(user, 'Button 2: data for the flow\'s first screen (optional)', '{"first_name": "{{$contact.firstName}}"}');
    await fill(user, 'Button 2: flow token (optional)', 'signup-{{$contact.id}}');
    expect(await saved(user, calls)).toEqual({
      name: 'flow_signup', language: 'en_US', parameters: ['{{$contact.firstName}}'],
      buttons: [{ index: 1, type: 'flow', flowToken: 'signup-{{$contact.id}}', flowActionData: '{"first_name": "{{$contact.firstName}}"}' }],
    });
  });

  it('a catalog button: an optional thumbnail product; left empty, nothing is saved for it', async () => {
    const user = userEvent.setup();
    const calls = serve();
    await pick(user, 'intro_catalog_offer');
    await fill(user, 'Parameter {{1}}', '100');
    expect(screen.getByLabelText('Button 1: thumbnail product\'s retailer id (optional)')).toBeTruthy();
    expect(await saved(user, calls)).toEqual({ name: 'intro_catalog_offer', language: 'en_US', parameters: ['100'], buttons: [{ index: 0, type: 'catalog' }] });
  });

  it('an authentication template: only its one-time code, asked for and kept within 15 characters', async () => {
    const user = userEvent.setup();
    const calls = serve();
    await pick(user, 'verification_code');
    expect(screen.queryByRole('button', { name: 'Add parameter' })).toBeNull();
    await refusedOnSave(user, 'Enter the one-time code, e.g. {{$trigger.variables.code}}', calls);
    await fill(user, 'One-time code', '1234567890123456');
    await refusedOnSave(user, 'A one-time code has at most 15 characters', calls);
    await fill(user, 'One-time code', '{{$trigger.variables.code}}');
    expect(await saved(user, calls)).toEqual({ name: 'verification_code', language: 'en_US', parameters: [], code: '{{$trigger.variables.code}}' });
  });

  it('a limited-time offer: when it ends, beside its image, code and link values', async () => {
    const user = userEvent.setup();
    const calls = serve();
    await pick(user, 'caribbean_offer');
    await fill(user, 'Header image link (https)', 'https://cdn.example.com/caribe.jpg');
    await fill(user, 'Parameter {{1}}', '{{$contact.firstName}}');
    await fill(user, 'Button 1: code to copy', 'CARIBE25');
    await fill(user, 'Button 2: end of its link ({{1}})', 'n3mtql');
    await fill(user, 'Offer ends', 'next friday');
    await refusedOnSave(user, /^Give when the offer ends as a date and time with its zone/, calls);
    await fill(user, 'Offer ends', '2026-12-31T23:59:00Z');
    expect(await saved(user, calls)).toEqual({
      name: 'caribbean_offer', language: 'en_US', parameters: ['{{$contact.firstName}}'], header: { type: 'image', url: 'https://cdn.example.com/caribe.jpg' },
      limitedTimeOffer: { expiresAt: '2026-12-31T23:59:00Z' }, buttons: [{ index: 0, type: 'copy_code', value: 'CARIBE25' }, { index: 1, type: 'url', value: 'n3mtql' }],
    });
  });

  it('a media carousel: each card\'s image or video link, its body parameters and button values', async () => {
    const user = userEvent.setup();
    const calls = serve();
    await pick(user, 'succulents');
    await fill(user, 'Parameter {{1}}', 'Ana');
    await refusedOnSave(user, 'Enter the link of the card’s image or video', calls);
    await fill(user, 'Card 1: image link (https)', 'https://cdn.example.com/aloe.jpg');
    await fill(user, 'Card 1 button 1: reply payload (optional)', 'more-aloes');
    await fill(user, 'Card 1 button 2: end of its link ({{1}})', 'blue-elf');
    await fill(user, 'Card 2: video link (https)', 'https://cdn.example.com/buddha.mp4');
    await fill(user, 'Card 2: parameter {{1}}', '3');
    await fill(user, 'Card 2 button 2: end of its link ({{1}})', 'buddha');
    expect(await saved(user, calls)).toEqual({ name: 'succulents', language: 'en_US', parameters: ['Ana'], carousel: { cards: [
      { header: { type: 'image', url: 'https://cdn.example.com/aloe.jpg' }, parameters: [], buttons: [{ index: 0, type: 'quick_reply', payload: 'more-aloes' }, { index: 1, type: 'url', value: 'blue-elf' }] },
      { header: { type: 'video', url: 'https://cdn.example.com/buddha.mp4' }, parameters: ['3'], buttons: [{ index: 0, type: 'quick_reply' }, { index: 1, type: 'url', value: 'buddha' }] },
    ] } });
  });
});
