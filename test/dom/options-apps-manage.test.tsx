import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MiniAppsPage } from '../../components/options/MiniAppsPage';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const manifest = {
  key: 'payments',
  name: 'Payments',
  description: 'Refunds without leaving the inbox',
  scopes: ['contacts.read'],
  authInputs: [],
  fields: [{ key: 'amount', label: 'Amount', type: 'number' }],
  triggers: [{ key: 'payment_paid', name: 'Payment paid', items: ['amount'] }],
  actions: [],
  subscribeUrl: 'https://pay.example/subscribe',
};
const overlapEnd = '2025-01-02T00:00:00.000Z';
type Answer = { status: number; body: unknown };
const refusal = (status: number, message: string, details?: { path: string; message: string }[]) =>
  ({ status, body: { error: { code: status === 409 ? 'app_in_use' : 'invalid_content', message, ...(details ? { details } : {}) } } });

/** One registered app; each manage call answers from its queue, then succeeds. */
function serve(answers: { put?: Answer[]; del?: Answer[]; rotate?: Answer[] } = {}) {
  let app: Record<string, unknown> | undefined = { id: 'app_1', key: 'payments', manifest, createdAt: at, installation: null };
  return serveApi({
    'GET /apps': () => ok({ apps: app ? [app] : [] }),
    'PUT /apps/app_1': (c: ApiCall) => {
      const answer = answers.put?.shift();
      if (answer) return answer;
      app = { ...app, manifest: c.body };
      return ok(app);
    },
    'DELETE /apps/app_1': () => {
      const answer = answers.del?.shift();
      if (answer) return answer;
      app = undefined;
      return { status: 204, body: null };
    },
    'POST /apps/app_1/signing-secret/rotate': () => answers.rotate?.shift() ?? ok({ signingSecret: 'whsec_new_once', previousSecretExpiresAt: overlapEnd }),
    'POST /apps/app_1/signing-secret/rotate?force=true': () => ok({ signingSecret: 'whsec_forced', previousSecretExpiresAt: overlapEnd }),
  });
}

async function card() {
  return within(await screen.findByRole('article', { name: 'Payments' }));
}

afterEach(() => vi.restoreAllMocks());

describe('managing a registered app', () => {
  it('edits the manifest as JSON: checked before sending, a 409 shown in the card, then saved', async () => {
    const user = userEvent.setup();
    const calls = serve({ put: [refusal(409, 'Cannot change "Payments": published workflows use what the new manifest drops: "Mark paid" (trigger "payment_paid"). Change or unpublish that workflow first.')] });
    renderWithProviders(<MiniAppsPage />);
    const c = await card();
    await user.click(c.getByRole('button', { name: 'Edit manifest' }));
    await user.click(c.getByRole('button', { name: 'Edit as JSON' }));
    const editor = c.getByLabelText('Manifest (JSON)') as HTMLTextAreaElement;
    expect(JSON.parse(editor.value)).toMatchObject({ key: 'payments', triggers: [{ key: 'payment_paid' }] });

    await user.clear(editor);
    await user.paste('{ "key": "payments", ');
    await user.click(c.getByRole('button', { name: 'Save manifest' }));
    expect((await c.findByRole('alert')).textContent).toContain('Not JSON');

    await user.clear(editor);
    await user.paste(JSON.stringify({ ...manifest, logoUrl: 'http://pay.example/logo.png' }));
    await user.click(c.getByRole('button', { name: 'Save manifest' }));
    expect(c.getByRole('alert').textContent).toContain('Use an https:// URL');
    expect(calls.filter((x) => x.method === 'PUT')).toEqual([]);

    const next = { ...manifest, triggers: [{ key: 'payment_refunded', name: 'Payment refunded', items: ['amount'] }] };
    await user.clear(editor);
    await user.paste(JSON.stringify(next));
    await user.click(c.getByRole('button', { name: 'Save manifest' }));
    const alert = await c.findByText(/published workflows use what the new manifest drops/);
    expect(alert.getAttribute('role')).toBe('alert');
    expect(alert.textContent).toContain('"Mark paid" (trigger "payment_paid")');
    expect(c.getByLabelText('Manifest (JSON)')).toBeTruthy();

    await user.click(c.getByRole('button', { name: 'Save manifest' }));
    expect(await c.findByText('Manifest saved.')).toBeTruthy();
    expect(calls.filter((x) => x.method === 'PUT')).toEqual([
      { method: 'PUT', path: '/apps/app_1', body: expect.objectContaining({ key: 'payments', triggers: next.triggers }) },
      { method: 'PUT', path: '/apps/app_1', body: expect.objectContaining({ triggers: next.triggers }) },
    ]);
    await waitFor(() => expect(c.getByText(/1 trigger: Payment refunded/)).toBeTruthy());
    expect(c.queryByLabelText('Manifest (JSON)')).toBeNull();
    expect(c.queryByRole('alert')).toBeNull();
  });

  it('puts the server\'s 422 details on their paths', async () => {
    const user = userEvent.setup();
    serve({ put: [refusal(422, 'The key of an app cannot change', [{ path: 'body.key', message: 'Keep the key "payments"' }])] });
    renderWithProviders(<MiniAppsPage />);
    const c = await card();
    await user.click(c.getByRole('button', { name: 'Edit manifest' }));
    await user.click(c.getByRole('button', { name: 'Save manifest' }));
    const summary = await c.findByRole('alert');
    expect(summary.textContent).toContain('key');
    expect(summary.textContent).toContain('Keep the key "payments"');
  });

  it('deletes after confirming; a refusal stays in the card', async () => {
    const user = userEvent.setup();
    const calls = serve({ del: [refusal(409, 'Cannot delete "Payments" while it is installed; uninstall it first')] });
    renderWithProviders(<MiniAppsPage />);
    const c = await card();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false);
    await user.click(c.getByRole('button', { name: 'Delete app' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Delete Payments?'));
    expect(calls.some((x) => x.method === 'DELETE')).toBe(false);

    confirm.mockReturnValue(true);
    await user.click(c.getByRole('button', { name: 'Delete app' }));
    expect((await c.findByRole('alert')).textContent).toBe('Cannot delete "Payments" while it is installed; uninstall it first');

    await user.click(c.getByRole('button', { name: 'Delete app' }));
    expect(await screen.findByText('Payments was deleted.')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('article', { name: 'Payments' })).toBeNull());
    expect(calls.filter((x) => x.method === 'DELETE')).toHaveLength(2);
  });

  it('rotates the signing secret after confirming and shows the new one once, with a copy button', async () => {
    const user = userEvent.setup();
    const calls = serve({ rotate: [refusal(404, 'App app_1 not found')] });
    renderWithProviders(<MiniAppsPage />);
    const c = await card();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    await user.click(c.getByRole('button', { name: 'Rotate signing secret' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Rotate the signing secret of Payments?'));
    expect((await c.findByRole('alert')).textContent).toBe('App app_1 not found');

    await user.click(c.getByRole('button', { name: 'Rotate signing secret' }));
    const notice = within(await c.findByRole('status'));
    expect(notice.getByText('whsec_new_once')).toBeTruthy();
    // The previous secret signs too until the overlap ends: the app's server has time to switch.
    expect(c.getByRole('status').textContent).toContain(`Until ${new Date(overlapEnd).toLocaleString()} every request also carries a signature made with the previous secret`);
    expect(c.queryByRole('alert')).toBeNull();
    await user.click(notice.getByRole('button', { name: 'Copy secret' }));
    expect(await navigator.clipboard.readText()).toBe('whsec_new_once');
    expect(notice.getByRole('button', { name: 'Copied' })).toBeTruthy();

    await user.click(notice.getByRole('button', { name: 'Done' }));
    expect(screen.queryByText('whsec_new_once')).toBeNull();
    expect(calls.filter((x) => x.path.endsWith('/rotate'))).toEqual([
      { method: 'POST', path: '/apps/app_1/signing-secret/rotate' },
      { method: 'POST', path: '/apps/app_1/signing-secret/rotate' },
    ]);
  });

  it('rotates again while the previous secret still signs only when the admin insists', async () => {
    const user = userEvent.setup();
    const calls = serve({ rotate: [{ status: 409, body: { error: { code: 'rotation_in_progress', message: `The secret rotated out last time still signs until ${overlapEnd}` } } }] });
    renderWithProviders(<MiniAppsPage />);
    const c = await card();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    await user.click(c.getByRole('button', { name: 'Rotate signing secret' }));
    expect((await c.findByRole('alert')).textContent).toContain('still signs until');
    await user.click(c.getByRole('button', { name: 'Rotate anyway' }));
    expect(confirm).toHaveBeenLastCalledWith(expect.stringContaining('stops signing now'));
    expect(within(await c.findByRole('status')).getByText('whsec_forced')).toBeTruthy();
    expect(calls.filter((x) => x.path.includes('/rotate')).map((x) => x.path)).toEqual(['/apps/app_1/signing-secret/rotate', '/apps/app_1/signing-secret/rotate?force=true']);
  });
});
