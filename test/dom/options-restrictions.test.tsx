import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { RestrictionsPanel } from '../../components/options/RestrictionsPanel';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

const at = '2025-01-01T00:00:00.000Z';
const user = (id: string, name: string, role: string, shortcutsEnabled = true) => ({ id, name, email: `${id}@example.com`, role, shortcutsEnabled, createdAt: at });

function serve() {
  let workspace = true;
  const users = [user('u1', 'Ada', 'agent'), user('u2', 'Bo', 'agent', false), user('s1', 'Sue', 'supervisor')];
  return serveApi({
    'GET /settings/restrictions': () => ok({ agentsCanUseShortcuts: workspace }),
    'PATCH /settings/restrictions': (c: ApiCall) => {
      workspace = (c.body as { agentsCanUseShortcuts: boolean }).agentsCanUseShortcuts;
      return ok({ agentsCanUseShortcuts: workspace });
    },
    'GET /users': () => ok({ users }),
    ...Object.fromEntries(users.map((u, i) => [`PATCH /users/${u.id}/restrictions`, (c: ApiCall) => {
      users[i] = { ...u, ...(c.body as { shortcutsEnabled: boolean }) };
      return ok(users[i]);
    }])),
  });
}

describe('restrictions panel', () => {
  it('lists a switch per agent (not per supervisor) reflecting the server', async () => {
    serve();
    renderWithProviders(<RestrictionsPanel />);
    expect(await screen.findByRole('switch', { name: 'Shortcuts for Ada' })).toHaveProperty('checked', true);
    expect(screen.getByRole('switch', { name: 'Shortcuts for Bo' })).toHaveProperty('checked', false);
    expect(screen.queryByRole('switch', { name: 'Shortcuts for Sue' })).toBeNull();
    await waitFor(() => expect(screen.getByRole('switch', { name: 'Agents can use shortcuts' })).toHaveProperty('checked', true));
  });

  it('sends a PATCH as soon as the workspace switch is toggled', async () => {
    const calls = serve();
    const u = userEvent.setup();
    renderWithProviders(<RestrictionsPanel />);
    const workspace = await screen.findByRole('switch', { name: 'Agents can use shortcuts' });
    await waitFor(() => expect(workspace).toHaveProperty('disabled', false));
    await u.click(workspace);
    await waitFor(() => expect(calls).toContainEqual({ method: 'PATCH', path: '/settings/restrictions', body: { agentsCanUseShortcuts: false } }));
    expect(workspace).toHaveProperty('checked', false);
    expect((await screen.findAllByText(/off: the workspace switch is off/)).length).toBe(2);
  });

  it('with the workspace switch off, each agent\'s switch shows the effective state: off, and why', async () => {
    serve();
    const u = userEvent.setup();
    renderWithProviders(<RestrictionsPanel />);
    const workspace = await screen.findByRole('switch', { name: 'Agents can use shortcuts' });
    await waitFor(() => expect(workspace).toHaveProperty('disabled', false));
    const ada = screen.getByRole('switch', { name: 'Shortcuts for Ada' });
    expect(ada).toHaveProperty('checked', true);
    await u.click(workspace);
    await waitFor(() => expect(ada).toHaveProperty('checked', false));
    expect(ada).toHaveProperty('disabled', true);
    const why = document.getElementById(ada.getAttribute('aria-describedby')!)!.textContent;
    expect(why).toContain('off: the workspace switch is off');
    expect(why).toContain('own setting: on');
    const bo = screen.getByRole('switch', { name: 'Shortcuts for Bo' });
    expect(document.getElementById(bo.getAttribute('aria-describedby')!)!.textContent).toContain('own setting: off');
    // Back on: the agents' own settings show again.
    await u.click(workspace);
    await waitFor(() => expect(ada).toHaveProperty('checked', true));
    expect(ada).toHaveProperty('disabled', false);
    expect(bo).toHaveProperty('checked', false);
  });

  it.each([
    ['Ada', 'u1', false],
    ['Bo', 'u2', true],
  ])('sends a PATCH when %s\'s switch is toggled', async (name, id, expected) => {
    const calls = serve();
    const u = userEvent.setup();
    renderWithProviders(<RestrictionsPanel />);
    const toggle = await screen.findByRole('switch', { name: `Shortcuts for ${name}` });
    await u.click(toggle);
    await waitFor(() => expect(calls).toContainEqual({ method: 'PATCH', path: `/users/${id}/restrictions`, body: { shortcutsEnabled: expected } }));
    expect(toggle).toHaveProperty('checked', expected);
  });
});
