import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { WorkflowEditor } from '../../components/options/WorkflowEditor';
import type { WorkflowDraft } from '../../components/options/draft-types';
import { emptyEditorApi, ok, renderWithProviders, serveApi, type ApiCall, type Routes } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const common: Routes = {
  ...emptyEditorApi,
};
const draft: WorkflowDraft = {
  name: 'Refunds',
  trigger: { type: 'shortcut', icon: '\u{1F4B8}', name: 'Refund', description: '', form: { fields: [] } },
  oncePerContact: false,
  steps: [],
};

async function addStep(user: ReturnType<typeof userEvent.setup>, label: string) {
  await user.selectOptions(screen.getByLabelText('New step'), label);
  await user.click(screen.getByRole('button', { name: 'Add step' }));
}

const scrolled: Element[] = [];
beforeEach(() => {
  scrolled.length = 0;
  // jsdom lays nothing out, so it has no scrollIntoView: record which element was brought into view.
  Element.prototype.scrollIntoView = function scrollIntoView(this: Element) { scrolled.push(this); };
});
afterEach(() => {
  delete (Element.prototype as Partial<Element>).scrollIntoView;
  sessionStorage.clear();
});

describe('number fields', () => {
  it.each([
    ['Wait', 'Wait for', 'Enter how long to wait'],
    ['HTTP request', 'Timeout (ms)', 'Enter a timeout in milliseconds (100 to 30000)'],
  ])('a %s step with %s left empty says what to enter, not zod\'s words', async (type, label, message) => {
    const user = userEvent.setup();
    serveApi(common);
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await addStep(user, type);
    await user.clear(screen.getByLabelText(label));
    expect(await screen.findByText(message)).toBeTruthy();
    expect(screen.getByLabelText(label).getAttribute('aria-invalid')).toBe('true');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(document.body.textContent).not.toMatch(/NaN|Invalid input/);
  });

  it('asks for a whole number of milliseconds', async () => {
    const user = userEvent.setup();
    serveApi(common);
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await addStep(user, 'HTTP request');
    await user.clear(screen.getByLabelText('Timeout (ms)'));
    await user.type(screen.getByLabelText('Timeout (ms)'), '150.5');
    expect(await screen.findByText('Enter the timeout as a whole number of milliseconds')).toBeTruthy();
  });
});

describe('a refused publish', () => {
  const workflow = (body: WorkflowDraft) => ({ id: 'wf_1', ...body, status: 'draft', version: 1, createdAt: at, updatedAt: at, publishedAt: null });

  it('keeps everything typed when publish answers 422, and takes the admin to the first field to fix', async () => {
    const user = userEvent.setup();
    const calls = serveApi({
      ...common,
      'POST /workflows': (c: ApiCall) => ok(workflow(c.body as WorkflowDraft)),
      'GET /workflows/wf_1': (c: ApiCall) => ok(workflow({ ...draft, ...(calls.find((x) => x.method === 'POST')?.body as object) })),
      'POST /workflows/wf_1/publish': {
        status: 422,
        body: { error: { code: 'invalid', message: 'The workflow cannot be published', details: [{ path: 'steps.1.config.url', message: 'That host is not allowed' }] } },
      },
    });
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await addStep(user, 'Send a message');
    await user.type(screen.getByLabelText('Message'), 'We are on it');
    await addStep(user, 'HTTP request');
    const url = screen.getByLabelText('URL');
    await user.clear(url);
    await user.type(url, 'https://internal.example/refund');
    await user.click(screen.getByRole('button', { name: 'Publish' }));

    await waitFor(() => expect(calls.some((c) => c.path === '/workflows/wf_1/publish')).toBe(true));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('URL')));
    expect(scrolled).toContain(screen.getByLabelText('URL'));
    expect(screen.getByLabelText('URL').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getAllByText('That host is not allowed').length).toBeGreaterThan(0);
    expect(screen.getByText('The workflow cannot be published')).toBeTruthy();
    expect(screen.getByLabelText('URL')).toHaveProperty('value', 'https://internal.example/refund');
    expect(screen.getByLabelText('Message')).toHaveProperty('value', 'We are on it');
    expect(screen.getByLabelText('Workflow name')).toHaveProperty('value', 'Refunds');
    expect(screen.getByRole('button', { name: 'Publish' })).toBeTruthy();
  });

  it('keeps everything typed when the save before publishing answers 422, focusing the field the server named', async () => {
    const user = userEvent.setup();
    serveApi({
      ...common,
      'POST /workflows': {
        status: 422,
        body: { error: { code: 'invalid', message: 'The workflow is not valid', details: [{ path: 'body.trigger.name', message: 'A shortcut with this name exists' }] } },
      },
    });
    renderWithProviders(<WorkflowEditor id={undefined} initial={draft} restored={false} onDiscard={() => undefined} />);
    await addStep(user, 'Send a message');
    await user.click(screen.getByLabelText('Message'));
    await user.paste('Hello {{$contact.firstName}}');
    await user.click(screen.getByRole('button', { name: 'Publish' }));

    const name = screen.getByLabelText('Shortcut name');
    await waitFor(() => expect(document.activeElement).toBe(name));
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(scrolled).toContain(name);
    expect(screen.getByLabelText('Message')).toHaveProperty('value', 'Hello {{$contact.firstName}}');
    const stored = JSON.parse(sessionStorage.getItem('ic-options-draft:new') ?? '{}') as WorkflowDraft;
    expect(stored.steps[0]).toMatchObject({ type: 'send_message', config: { text: 'Hello {{$contact.firstName}}' } });
  });

  it('focuses the first field the contract refuses when nothing is sent', async () => {
    const user = userEvent.setup();
    const calls = serveApi(common);
    renderWithProviders(<WorkflowEditor id={undefined} initial={{ ...draft, name: '' }} restored={false} onDiscard={() => undefined} />);
    await user.click(screen.getByRole('button', { name: 'Publish' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Workflow name')));
    expect(calls.filter((c) => c.method !== 'GET')).toEqual([]);
  });
});
