import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { savedAsDraft, emptyEditorApi, ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const draft: WorkflowDraft = { name: 'Ad leads', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['lead'] }, oncePerContact: false, steps: [] };

async function addSendMessage(user: ReturnType<typeof userEvent.setup>) {
  await user.selectOptions(screen.getByLabelText('New step'), 'Send a message');
  await user.click(screen.getByRole('button', { name: 'Add step' }));
}

describe('send_message editor (channels)', () => {
  it('edits reply buttons, a fallback template and the Messenger tag, and saves them in the step config', async () => {
    const user = userEvent.setup();
    const calls = serveApi({
      ...emptyEditorApi,
      'POST /workflows': savedAsDraft(at),
    });
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await addSendMessage(user);
    await user.selectOptions(screen.getByLabelText('Message type'), 'buttons');
    await user.type(screen.getByLabelText('Message'), 'Was it helpful?');
    await user.type(screen.getByLabelText('Button 1'), 'Yes');
    await user.click(screen.getByRole('button', { name: 'Add button' }));
    await user.type(screen.getByLabelText('Button 2'), 'No');
    await user.click(screen.getByRole('button', { name: 'Add a fallback template' }));
    await user.type(screen.getByLabelText('Template name'), 'Bad Name');
    expect(await screen.findByText(/A template name uses lowercase letters, digits and _/)).toBeTruthy();
    await user.clear(screen.getByLabelText('Template name'));
    await user.type(screen.getByLabelText('Template name'), 'we_miss_you');
    await user.selectOptions(screen.getByLabelText('Messenger messaging type'), 'MESSAGE_TAG');
    await user.selectOptions(screen.getByLabelText('Message tag'), 'POST_PURCHASE_UPDATE');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/workflows')).toBe(true));
    const body = calls.find((c) => c.method === 'POST' && c.path === '/workflows')!.body as WorkflowDraft;
    expect(body.steps[0]!.config).toEqual({
      kind: 'buttons', text: 'Was it helpful?', buttons: [{ title: 'Yes' }, { title: 'No' }],
      fallbackTemplate: { name: 'we_miss_you', language: 'en_US', parameters: [] },
      messenger: { messagingType: 'MESSAGE_TAG', tag: 'POST_PURCHASE_UPDATE' },
    });
  });

  it('a media message asks for the link first', async () => {
    const user = userEvent.setup();
    serveApi({ 'GET /fields': ok({ fields: [] }), 'GET /apps': ok({ apps: [] }), 'GET /users': ok({ users: [] }), 'GET /settings/closing-categories': ok({ categories: [] }), 'GET /workflows?limit=200': ok({ workflows: [], nextCursor: null }) });
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await addSendMessage(user);
    await user.selectOptions(screen.getByLabelText('Message type'), 'media');
    await user.type(screen.getByLabelText('Caption'), 'Your invoice');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findAllByText('Enter the link of the file to send')).length).toBeGreaterThan(0);
  });

  const channel = (id: string, kind: string, name: string) => ({ id, kind, name, displayName: null, tokenLastFour: '••••WXYZ', status: 'active', lastError: null, createdAt: at });
  const template = (name: string, language: string, parameterCount: number, body: string, notSendable: string | null = null, parameterNames: string[] | null = null,
    header: { type: string; parameterName: string | null } | null = null, buttons: { index: number; type: string; text: string }[] = []) =>
    ({ id: `${name}-${language}`, name, language, status: notSendable ? 'PENDING' : 'APPROVED', category: 'UTILITY', body, parameterCount, parameterNames, header, buttons, notSendable });

  /** The editor's API with these WhatsApp channels' templates; `routes` adds or overrides. */
  const serveTemplates = (templates: ReturnType<typeof template>[], routes: Parameters<typeof serveApi>[0] = {}) => serveApi({
    ...emptyEditorApi,
    'GET /channels': ok({ channels: [channel('cnx_wa', 'whatsapp', 'Support line')] }),
    'GET /channels/cnx_wa/whatsapp-templates': ok({ templates }),
    'POST /workflows': savedAsDraft(at),
    ...routes,
  });
  /** A new Send message step of kind template; its picker once the templates are read. */
  async function templatePicker(user: ReturnType<typeof userEvent.setup>) {
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await addSendMessage(user);
    await user.selectOptions(screen.getByLabelText('Message type'), 'template');
    return await screen.findByLabelText('Pick a template') as HTMLSelectElement;
  }
  /** Saves and answers the first step's config as the server received it. */
  async function saved(user: ReturnType<typeof userEvent.setup>, calls: ApiCall[]) {
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST' && c.path === '/workflows')).toBe(true));
    return (calls.find((c) => c.method === 'POST' && c.path === '/workflows')!.body as WorkflowDraft).steps[0]!.config;
  }

  it('picks an approved WhatsApp template: name, language and one field per parameter; unsendable ones are shown disabled with why', async () => {
    const user = userEvent.setup();
    const calls = serveTemplates([
      template('order_update', 'es', 3, 'Hola {{1}}, tu pedido {{2}} sale {{3}}.'),
      template('welcome', 'en_US', 0, 'Welcome!', 'Not sendable from a workflow: its status is PENDING (only approved templates are sent)'),
    ], {
      'GET /channels': ok({ channels: [channel('cnx_wa', 'whatsapp', 'Support line'), channel('cnx_fb', 'messenger', 'Store page'), channel('cnx_wa2', 'whatsapp', 'Sales <b>line</b>')] }),
      'GET /channels/cnx_wa2/whatsapp-templates': { status: 422, body: { error: { code: 'graph_refused', message: 'Meta refused to list the templates of WhatsApp Business Account 1: Meta error 190 (OAuthException): Invalid OAuth access token' } } },
    });
    const pick = await templatePicker(user);
    const welcome = [...pick.options].find((o) => o.textContent!.startsWith('welcome'))!;
    expect(welcome.disabled).toBe(true);
    expect(welcome.textContent).toBe('welcome (en_US) — Not sendable from a workflow: its status is PENDING (only approved templates are sent)');
    // A channel whose token cannot list templates says so (its name as text), the others still pick.
    expect(screen.getByRole('alert').textContent).toMatch(/^Sales <b>line<\/b>: Meta refused to list the templates/);
    expect(calls.some((c) => c.path === '/channels/cnx_fb/whatsapp-templates')).toBe(false);

    await user.selectOptions(pick, [...pick.options].find((o) => o.textContent === 'order_update (es)')!);
    expect((screen.getByLabelText('Template name') as HTMLInputElement).value).toBe('order_update');
    expect((screen.getByLabelText('Language code') as HTMLInputElement).value).toBe('es');
    expect(screen.getByTestId('template-body').textContent).toBe('Hola {{1}}, tu pedido {{2}} sale {{3}}.');
    await user.type(screen.getByLabelText('Parameter {{1}}'), 'Ana');
    await user.type(screen.getByLabelText('Parameter {{2}}'), 'A-1');
    await user.type(screen.getByLabelText('Parameter {{3}}'), 'today');
    // A parameter removed by hand: the preview says the counts differ.
    await user.click(screen.getByRole('button', { name: 'Remove parameter 3' }));
    expect(screen.getByTestId('template-body').textContent).toBe('Hola {{1}}, tu pedido {{2}} sale {{3}}. (it takes 3 parameters; 2 are set below)');
    await user.click(screen.getByRole('button', { name: 'Add parameter' }));
    await user.type(screen.getByLabelText('Parameter {{3}}'), 'today');
    expect(await saved(user, calls)).toMatchObject({ kind: 'template', template: { name: 'order_update', language: 'es', parameters: ['Ana', 'A-1', 'today'] } });
  });

  it('a template with named parameters: one field per name, no adding or removing; typed by hand it is positional again', async () => {
    const user = userEvent.setup();
    const calls = serveTemplates([template('order_confirmation', 'en_US', 2, 'Hi {{customer_name}}, your order {{order_number}} is confirmed.', null, ['customer_name', 'order_number'])]);
    const pick = await templatePicker(user);
    await user.selectOptions(pick, [...pick.options].find((o) => o.textContent === 'order_confirmation (en_US)')!);
    await user.type(screen.getByLabelText('Parameter {{customer_name}}'), 'Ana');
    await user.type(screen.getByLabelText('Parameter {{order_number}}'), 'A-7');
    expect(screen.queryByRole('button', { name: 'Add parameter' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Remove parameter/ })).toBeNull();
    expect(await saved(user, calls)).toMatchObject({ template: { name: 'order_confirmation', language: 'en_US', parameters: ['Ana', 'A-7'], parameterNames: ['customer_name', 'order_number'] } });

    await user.type(screen.getByLabelText('Template name'), '_v2');
    expect(screen.getByLabelText('Parameter {{1}}')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add parameter' })).toBeTruthy();

    // A template approved meanwhile: Reload asks the server (and so Meta) again.
    const reads = () => calls.filter((c) => c.path === '/channels/cnx_wa/whatsapp-templates').length;
    expect(reads()).toBe(1);
    await user.click(screen.getByRole('button', { name: 'Reload templates' }));
    await waitFor(() => expect(reads()).toBe(2));
  });

  it('a template whose header or buttons take a value: its image link, text parameter, link suffix or code, asked for and saved', async () => {
    const user = userEvent.setup();
    const calls = serveTemplates([
      template('reservation_confirmation', 'en_US', 1, 'A table for {{number_of_guests}}.', null, ['number_of_guests'], { type: 'image', parameterName: null }),
      template('sale', 'en_US', 0, 'Come and see.', null, null, { type: 'text', parameterName: 'sale_name' }, [{ index: 0, type: 'url', text: 'Shop' }, { index: 2, type: 'copy_code', text: 'Copy code' }]),
    ]);
    const pick = await templatePicker(user);
    await user.selectOptions(pick, [...pick.options].find((o) => o.textContent === 'sale (en_US)')!);
    expect(screen.getByLabelText('Header {{sale_name}}')).toBeTruthy();
    expect(screen.getByLabelText('Button 1: end of its link ({{1}})')).toBeTruthy();
    expect(screen.getByLabelText('Button 3: code to copy')).toBeTruthy();
    await user.selectOptions(pick, [...pick.options].find((o) => o.textContent === 'reservation_confirmation (en_US)')!);
    expect(screen.queryByLabelText('Header {{sale_name}}')).toBeNull();
    expect(screen.queryByLabelText('Button 3: code to copy')).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    // Left empty, the link is asked for where it goes.
    expect((await screen.findAllByText('Enter the link of the header’s file')).length).toBeGreaterThan(0);
    await user.type(screen.getByLabelText('Header image link (https)'), 'https://cdn.example.com/table.jpg');
    await user.type(screen.getByLabelText('Parameter {{number_of_guests}}'), '4');
    expect(await saved(user, calls)).toMatchObject({ template: {
      name: 'reservation_confirmation', parameters: ['4'], parameterNames: ['number_of_guests'], header: { type: 'image', url: 'https://cdn.example.com/table.jpg' },
    } });
  });

  it('a template with a location header: where its map points, checked as the admin saves, and saved', async () => {
    const user = userEvent.setup();
    const calls = serveTemplates([template('order_delivery_update', 'en_US', 1, 'Your order {{order_number}} is on the way!', null, ['order_number'], { type: 'location', parameterName: null })]);
    const pick = await templatePicker(user);
    await user.selectOptions(pick, [...pick.options].find((o) => o.textContent === 'order_delivery_update (en_US)')!);
    expect(screen.getByRole('group', { name: 'Header location (the map)' })).toBeTruthy();
    await user.type(screen.getByLabelText('Parameter {{order_number}}'), 'A-7');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findAllByText('Enter the latitude')).length).toBeGreaterThan(0);
    await user.type(screen.getByLabelText('Latitude (e.g. 37.4847)'), '97.5');
    await user.type(screen.getByLabelText('Longitude (e.g. -122.1477)'), '-122.148981');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findAllByText(/^The latitude is a number of degrees from -90 to 90/)).length).toBeGreaterThan(0);
    expect(calls.some((c) => c.method === 'POST' && c.path === '/workflows')).toBe(false);
    await user.clear(screen.getByLabelText('Latitude (e.g. 37.4847)'));
    await user.type(screen.getByLabelText('Latitude (e.g. 37.4847)'), '37.483307');
    await user.type(screen.getByLabelText('Place name (optional)'), 'Pickup point');
    expect(await saved(user, calls)).toMatchObject({ template: {
      name: 'order_delivery_update', parameters: ['A-7'], parameterNames: ['order_number'],
      header: { type: 'location', latitude: '37.483307', longitude: '-122.148981', name: 'Pickup point' },
    } });
  });
});
