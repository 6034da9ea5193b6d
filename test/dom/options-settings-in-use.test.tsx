import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ClosingCategoriesSettings } from '../../components/options/ClosingCategoriesSettings';
import { CustomFieldsSettings } from '../../components/options/CustomFieldsSettings';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

// A setting a published workflow uses is refused by the server (409 naming the workflows): the
// admin reads that message where they made the change, and nothing looks saved.

const conflict = (message: string) => ({ status: 409, body: { error: { code: 'conflict', message } } });
afterEach(() => { vi.restoreAllMocks(); });

describe('custom fields: deleting one a published workflow uses', () => {
  const inUse = 'Field "callback_date" is used by published workflows; change or unpublish them first: "Schedule callback" (wf_1) uses "callback_date" in step "date"';

  it('asks first, shows the 409 naming the workflows, keeps the field listed, and clears the message on the next save', async () => {
    const user = userEvent.setup();
    const fields = [{ key: 'callback_date', label: 'Callback date', type: 'date', options: [] }];
    const calls = serveApi({
      'GET /fields': () => ok({ fields }),
      'DELETE /fields/callback_date': conflict(inUse),
      'PUT /fields/plan': (c: ApiCall) => ok({ key: 'plan', ...(c.body as object) }),
    });
    renderWithProviders(<CustomFieldsSettings />);
    const remove = await screen.findByRole('button', { name: 'Delete field callback_date' });

    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false);
    await user.click(remove);
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Its value is removed from every contact'));
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);

    confirm.mockReturnValue(true);
    await user.click(remove);
    expect((await screen.findByRole('alert')).textContent).toBe(inUse);
    expect(within(screen.getByRole('table', { name: 'Custom fields' })).getByText('callback_date')).toBeTruthy();

    await user.type(screen.getByLabelText('Key'), 'plan');
    await user.type(screen.getByLabelText('Label'), 'Plan');
    await user.click(screen.getByRole('button', { name: 'Save field' }));
    await waitFor(() => expect(calls).toContainEqual({ method: 'PUT', path: '/fields/plan', body: { label: 'Plan', type: 'text', options: [] } }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  it('shows a refused delete even after an earlier save was refused', async () => {
    const user = userEvent.setup();
    serveApi({
      'GET /fields': ok({ fields: [{ key: 'callback_date', label: 'Callback date', type: 'date', options: [] }] }),
      'PUT /fields/plan': { status: 422, body: { error: { code: 'invalid_content', message: 'Invalid field definition' } } },
      'DELETE /fields/callback_date': conflict(inUse),
    });
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<CustomFieldsSettings />);
    await user.type(screen.getByLabelText('Key'), 'plan');
    await user.type(screen.getByLabelText('Label'), 'Plan');
    await user.click(screen.getByRole('button', { name: 'Save field' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Invalid field definition');

    await user.click(screen.getByRole('button', { name: 'Delete field callback_date' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(inUse));
  });
});

describe('closing categories: removing one a published workflow uses', () => {
  it('shows the 409 naming the workflows and does not say saved', async () => {
    const user = userEvent.setup();
    const message = 'These categories are used by published workflows; change those triggers and steps first: "Spam filter" (wf_2) uses "Spam" in step "close"';
    const calls = serveApi({
      'GET /settings/closing-categories': ok({ categories: ['Resolved', 'Spam'] }),
      'PUT /settings/closing-categories': conflict(message),
    });
    renderWithProviders(<ClosingCategoriesSettings />);
    await user.click(await screen.findByRole('button', { name: 'Remove category Spam' }));
    await user.click(screen.getByRole('button', { name: 'Save categories' }));
    await waitFor(() => expect(calls).toContainEqual({ method: 'PUT', path: '/settings/closing-categories', body: { categories: ['Resolved'] } }));
    expect((await screen.findByRole('alert')).textContent).toContain(message);
    expect(screen.queryByText('Saved.')).toBeNull();
  });
});
