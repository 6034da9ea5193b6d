import { afterEach, describe, expect, it } from 'vitest';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { WorkflowEditorPage } from '../../components/options/WorkflowEditorPage';
import { addStep, ok, renderWithProviders, serveApi } from './options-harness';

// A Send message with reply buttons whose body no connected channel would take (WhatsApp: over
// 1,024 characters; Messenger's quick replies: over 2,000) says so on its Message field, in the
// words of the refusal at send time, as the publish check does; a workflow stored over the limit
// still opens, with the error on the field.

const at = '2025-01-01T00:00:00.000Z';
const x = (n: number) => 'x'.repeat(n);
const buttons = (text: string) => ({ kind: 'buttons', text, buttons: [{ title: 'Yes' }, { title: 'No' }] });
const stored = {
  id: 'wf_1', name: 'Rate us', trigger: { type: 'manual' }, oncePerContact: false,
  steps: [{ id: 'ask-rating', type: 'send_message', config: buttons(x(1500)) }],
  status: 'published', version: 2, createdAt: at, updatedAt: at, publishedAt: at,
};
const draft: WorkflowDraft = { name: 'Rate us', trigger: { type: 'contact_tag_updated', action: 'added', tags: ['served'] }, oncePerContact: false, steps: [] };
const channel = (id: string, kind: string, name: string) => ({ id, kind, name, displayName: null, tokenLastFour: '••••WXYZ', status: 'active', lastError: null, createdAt: at });
const routes = {
  'GET /channels': ok({ channels: [channel('cnx_wa', 'whatsapp', 'Support line')] }),
  'GET /fields': ok({ fields: [] }), 'GET /apps': ok({ apps: [] }), 'GET /users': ok({ users: [] }),
  'GET /settings/closing-categories': ok({ categories: [] }), 'GET /workflows?limit=200': ok({ workflows: [stored], nextCursor: null }),
  'GET /workflows/wf_1': ok(stored),
};
const refusal = (length: string) => `WhatsApp reply-button messages can be at most 1,024 characters (step 1 ("ask-rating") has ${length}): shorten it`;
/** The message shown on a control's field (its aria-describedby), or null. */
const errorOf = (control: HTMLElement) => {
  const ids = control.getAttribute('aria-describedby')?.split(' ') ?? [];
  return ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains('error'))?.textContent ?? null;
};

afterEach(() => { window.location.hash = ''; sessionStorage.clear(); });

describe('Send message with reply buttons: the body length', () => {
  it('a stored workflow over the limit opens, and its Message field shows the refusal; shortened, it goes', async () => {
    serveApi(routes);
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);
    const message = await screen.findByLabelText('Message') as HTMLTextAreaElement;
    expect(message.value).toHaveLength(1500);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(errorOf(message)).toBe(refusal('1,500')));
    expect(message.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(message, { target: { value: x(1024) } });
    await waitFor(() => expect(errorOf(message)).toBeNull());
  });

  it('says so as the admin writes a body too long, and the hint says a body with variables is checked when sent', async () => {
    const user = userEvent.setup();
    serveApi(routes);
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await addStep(user, 'Send a message');
    await user.selectOptions(screen.getByLabelText('Message type'), 'buttons');
    await user.type(screen.getByLabelText('Button 1'), 'Yes');
    const message = screen.getByLabelText('Message');
    expect(screen.getByText(/WhatsApp takes at most 1,024 characters above reply buttons, Messenger 2,000 \(quick replies\): a longer message fails the step on that channel\. With variables, the length is known only when it is sent/)).toBeTruthy();
    fireEvent.change(message, { target: { value: x(1025) } });
    await waitFor(() => expect(errorOf(message)).toMatch(/^WhatsApp reply-button messages can be at most 1,024 characters \(step 1 \("[^"]+"\) has 1,025\): shorten it$/));
    // Only its variables could make it too long: left to the send.
    fireEvent.change(message, { target: { value: `${x(1000)} {{$contact.firstName}}` } });
    await waitFor(() => expect(errorOf(message)).toBeNull());
  });

  it('with only a Facebook Page connected, 1,500 characters are fine and 2,001 are refused in Messenger’s words', async () => {
    serveApi({ ...routes, 'GET /channels': ok({ channels: [channel('cnx_fb', 'messenger', 'Store page')] }) });
    renderWithProviders(<WorkflowEditorPage id="wf_1" />);
    const message = await screen.findByLabelText('Message') as HTMLTextAreaElement;
    await waitFor(() => expect(errorOf(message)).toBeNull());
    await userEvent.setup().click(screen.getByRole('button', { name: 'Save' }));
    fireEvent.change(message, { target: { value: x(2001) } });
    await waitFor(() => expect(errorOf(message)).toBe('Messenger messages with reply buttons (quick replies) can be at most 2,000 characters (step 1 ("ask-rating") has 2,001): shorten it'));
  });
});
