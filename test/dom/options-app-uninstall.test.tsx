import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MiniAppsPage } from '../../components/options/MiniAppsPage';
import { ok, renderWithProviders, serveApi } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const manifest = {
  key: 'payments', name: 'Payments', scopes: ['contacts.read'], authInputs: [],
  fields: [{ key: 'amount', label: 'Amount', type: 'number' }],
  triggers: [{ key: 'payment_paid', name: 'Payment paid', items: ['amount'] }],
  actions: [],
};
const inUse = {
  status: 409,
  body: {
    error: {
      code: 'app_in_use',
      message: 'Cannot uninstall "Payments": published workflows use it: "Lead scored" (trigger "payment_paid"); "Refund on tag" (action "refund"). Unpublish those workflows or remove the app from them first.',
      details: [
        { path: 'workflows.wf_lead', message: '"Lead scored" uses trigger "payment_paid"' },
        { path: 'workflows.wf_refund', message: '"Refund on tag" uses action "refund"' },
      ],
    },
  },
};

/** One installed app; the first uninstall is refused, the next goes through. */
function serve() {
  let app = { id: 'app_1', key: 'payments', manifest, createdAt: at, installation: { id: 'inst_1', appId: 'app_1', createdAt: at } as unknown };
  const answers = [inUse];
  return serveApi({
    'GET /apps': () => ok({ apps: [app] }),
    'DELETE /apps/app_1/install': () => {
      const refused = answers.shift();
      if (refused) return refused;
      app = { ...app, installation: null };
      return { status: 204, body: null };
    },
  });
}

afterEach(() => vi.restoreAllMocks());

describe('uninstalling an app that workflows use', () => {
  it('warns before, then shows the refusal with a link to each workflow to change, and uninstalls once they are', async () => {
    const user = userEvent.setup();
    const calls = serve();
    renderWithProviders(<MiniAppsPage />);
    const card = within(await screen.findByRole('article', { name: 'Payments' }));
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);

    await user.click(card.getByRole('button', { name: 'Uninstall' }));
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('Workflows that use its triggers or actions must be unpublished or changed first'));
    expect((await card.findByRole('alert')).textContent).toBe(inUse.body.error.message);
    const links = within(card.getByRole('list', { name: 'Workflows using this app' })).getAllByRole('link');
    expect(links.map((a) => [a.textContent, a.getAttribute('href')])).toEqual([
      ['"Lead scored" uses trigger "payment_paid"', '#/workflows/wf_lead'],
      ['"Refund on tag" uses action "refund"', '#/workflows/wf_refund'],
    ]);
    expect(card.getByText('Installed')).toBeTruthy();

    await user.click(card.getByRole('button', { name: 'Uninstall' }));
    // Uninstalled, the card moves to the apps not installed, without the refusal.
    expect(await screen.findByRole('button', { name: 'Install Payments' })).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('list', { name: 'Workflows using this app' })).toBeNull());
    expect(screen.queryByRole('alert')).toBeNull();
    expect(calls.filter((c) => c.method === 'DELETE')).toHaveLength(2);
  });
});
