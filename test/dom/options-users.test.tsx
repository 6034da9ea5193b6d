import { afterEach, describe, expect, it, vi } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AssignStepFields } from '../../components/options/AssignStepFields';
import { UsersSettings } from '../../components/options/UsersSettings';
import type { User } from '../../lib/contracts/users';
import { serveMessages } from '../../lib/extension/messaging';
import { ok, renderWithProviders, serveApi, type ApiCall } from './options-harness';

// Settings → Users: rename, change role, deactivate / reactivate and a new token, each after a
// confirmation, with the server's answer (and its refusals) shown.

const at = '2025-01-01T00:00:00.000Z';
const person = (id: string, name: string, role: User['role'], more: Partial<User> = {}): User =>
  ({ id, name, email: `${id}@example.com`, role, kind: 'human', shortcutsEnabled: true, createdAt: at, active: true, deactivatedAt: null, ...more });
const SERVER = 'http://127.0.0.1:8799';

/** The users API over a list the test can read; PATCH applies the body, as the server does. */
function serveUsers(users: User[], extra: Record<string, (c: ApiCall) => { status: number; body: unknown }> = {}) {
  const byPath = (path: string) => users.findIndex((u) => path.startsWith(`/users/${u.id}`));
  const patches = Object.fromEntries(users.map((u) => [`PATCH /users/${u.id}`, (c: ApiCall) => {
    const i = byPath(c.path);
    const body = c.body as { name?: string; role?: User['role']; active?: boolean };
    const next = { ...users[i]!, ...(body.name ? { name: body.name } : {}), ...(body.role ? { role: body.role } : {}) };
    if (body.active !== undefined) Object.assign(next, { active: body.active, deactivatedAt: body.active ? null : at });
    users[i] = next;
    return ok(body.active === false ? { ...next, unassigned: 0, workflowsAssigning: [] } : next);
  }]));
  return serveApi({ 'GET /users': () => ok({ users }), ...patches, ...extra });
}

const rowOf = async (name: RegExp | string) => {
  const cell = await screen.findByRole('cell', { name });
  return within(cell.closest('tr')!);
};

afterEach(() => { vi.restoreAllMocks(); });

describe('settings: managing users', () => {
  it('edits a user\'s name and role after confirming; declining sends nothing', async () => {
    const user = userEvent.setup();
    const users = [person('u_admin', 'Ada Admin', 'admin'), person('u_bo', 'Bo Agent', 'agent')];
    const calls = serveUsers(users);
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValue(true);
    renderWithProviders(<UsersSettings me={users[0]!} serverUrl={SERVER} />);

    await user.click((await rowOf('Bo Agent')).getByRole('button', { name: 'Edit Bo Agent' }));
    const name = screen.getByLabelText('Name of Bo Agent');
    await user.clear(name);
    await user.type(name, 'Bo Berg');
    await user.selectOptions(screen.getByLabelText('Role of Bo Agent'), 'supervisor');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(confirm).toHaveBeenLastCalledWith(expect.stringContaining('Change Bo Agent’s role from agent to supervisor?'));
    expect(calls.filter((c) => c.method === 'PATCH')).toEqual([]);

    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls).toContainEqual({ method: 'PATCH', path: '/users/u_bo', body: { name: 'Bo Berg', role: 'supervisor' } }));
    expect(await screen.findByText('Saved Bo Berg (now a supervisor).')).toBeTruthy();
    const row = await rowOf('Bo Berg');
    expect(row.getByRole('cell', { name: 'supervisor' })).toBeTruthy();
  });

  it('a rename alone asks nothing; an empty name cannot be saved', async () => {
    const user = userEvent.setup();
    const users = [person('u_admin', 'Ada Admin', 'admin'), person('u_bo', 'Bo Agent', 'agent')];
    const calls = serveUsers(users);
    const confirm = vi.spyOn(window, 'confirm');
    renderWithProviders(<UsersSettings me={users[0]!} serverUrl={SERVER} />);
    await user.click((await rowOf('Bo Agent')).getByRole('button', { name: 'Edit Bo Agent' }));
    await user.clear(screen.getByLabelText('Name of Bo Agent'));
    expect(screen.getByText('Enter a name')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Save' })).toHaveProperty('disabled', true);
    await user.type(screen.getByLabelText('Name of Bo Agent'), 'Bob');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(calls).toContainEqual({ method: 'PATCH', path: '/users/u_bo', body: { name: 'Bob' } }));
    expect(confirm).not.toHaveBeenCalled();
  });

  it('deactivates after confirming, says what it did, and reactivates', async () => {
    const user = userEvent.setup();
    const users = [person('u_admin', 'Ada Admin', 'admin'), person('u_bo', 'Bo Agent', 'agent')];
    const calls = serveUsers(users, {
      'PATCH /users/u_bo': (c: ApiCall) => {
        const active = (c.body as { active: boolean }).active;
        users[1] = { ...users[1]!, active, deactivatedAt: active ? null : at };
        return ok(active ? users[1] : { ...users[1], unassigned: 2, workflowsAssigning: [{ id: 'wf_1', name: 'Route VIPs' }] });
      },
    });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<UsersSettings me={users[0]!} serverUrl={SERVER} />);

    await user.click((await rowOf('Bo Agent')).getByRole('button', { name: 'Deactivate Bo Agent' }));
    expect(confirm).toHaveBeenLastCalledWith(expect.stringMatching(/^Deactivate Bo Agent\? Their token and inbox sessions stop working at once, their open conversations are unassigned/));
    await waitFor(() => expect(calls).toContainEqual({ method: 'PATCH', path: '/users/u_bo', body: { active: false } }));
    const note = await screen.findByText(/Bo Agent is deactivated/);
    expect(note.textContent).toBe('Bo Agent is deactivated: their token and inbox sessions no longer work. 2 open conversations were unassigned. '
      + 'Published workflows that assign to them: “Route VIPs”; their Assign step fails until you choose someone else.');
    const row = await rowOf('Bo Agent');
    await waitFor(() => expect(row.getByRole('cell', { name: 'deactivated' })).toBeTruthy());

    await user.click(row.getByRole('button', { name: 'Reactivate Bo Agent' }));
    expect(confirm).toHaveBeenLastCalledWith('Reactivate Bo Agent? Their earlier token works again: give them a new token if it may have leaked.');
    await waitFor(() => expect(calls).toContainEqual({ method: 'PATCH', path: '/users/u_bo', body: { active: true } }));
    expect(await screen.findByText('Bo Agent is active again.')).toBeTruthy();
    await waitFor(() => expect(row.getByRole('button', { name: 'Deactivate Bo Agent' })).toBeTruthy());
  });

  it('shows the server\'s refusal: the only active admin cannot deactivate themselves', async () => {
    const user = userEvent.setup();
    const users = [person('u_admin', 'Ada Admin', 'admin'), person('u_bo', 'Bo Agent', 'agent')];
    const message = 'You are the workspace\'s only active admin: make another user admin first, so that someone can still manage it';
    serveUsers(users, { 'PATCH /users/u_admin': () => ({ status: 409, body: { error: { code: 'last_admin', message } } }) });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<UsersSettings me={users[0]!} serverUrl={SERVER} />);

    await user.click((await rowOf('Ada Admin (you)')).getByRole('button', { name: 'Deactivate Ada Admin' }));
    expect(confirm).toHaveBeenLastCalledWith(expect.stringMatching(/^Deactivate your own account\?/));
    expect((await screen.findByRole('alert')).textContent).toBe(message);
    expect((await rowOf('Ada Admin (you)')).getByRole('cell', { name: 'active' })).toBeTruthy();
  });

  it('gives a user a new token after confirming and shows it once', async () => {
    const user = userEvent.setup();
    const users = [person('u_admin', 'Ada Admin', 'admin'), person('u_bot', 'Triage bot', 'agent', { kind: 'bot' })];
    const calls = serveUsers(users, { 'POST /users/u_bot/token': () => ok({ user: users[1], token: 'ict_brand_new' }) });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValue(true);
    renderWithProviders(<UsersSettings me={users[0]!} serverUrl={SERVER} />);

    const row = await rowOf('Triage bot');
    await user.click(row.getByRole('button', { name: 'New token for Triage bot' }));
    expect(confirm).toHaveBeenLastCalledWith(expect.stringContaining('Give Triage bot a new token? Their current token and inbox sessions stop working at once'));
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
    await user.click(row.getByRole('button', { name: 'New token for Triage bot' }));
    const shown = await screen.findByText('ict_brand_new');
    expect(shown.closest('[role="status"]')!.textContent).toMatch(/^New API token for Triage bot; the old one no longer works\. Copy it now, it is not shown again:/);
    expect(calls).toContainEqual({ method: 'POST', path: '/users/u_bot/token' });
  });

  it('renewing your own token switches this extension to the new one', async () => {
    const user = userEvent.setup();
    const users = [person('u_admin', 'Ada Admin', 'admin')];
    serveUsers(users, { 'POST /users/u_admin/token': () => ok({ user: users[0], token: 'ict_mine_now' }) });
    const connects: unknown[] = [];
    serveMessages({ connect: (c) => { connects.push(c); return { state: 'connected', serverUrl: SERVER, me: { user: users[0]!, permissions: { launchShortcuts: true, configure: true, superviseAgents: true } } }; } });
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<UsersSettings me={users[0]!} serverUrl={SERVER} />);

    await user.click((await rowOf('Ada Admin (you)')).getByRole('button', { name: 'New token for Ada Admin' }));
    expect(confirm).toHaveBeenLastCalledWith(expect.stringMatching(/^Give yourself a new token\?.*this extension switches to the new one/));
    expect(await screen.findByText('ict_mine_now')).toBeTruthy();
    expect(connects).toEqual([{ serverUrl: SERVER, token: 'ict_mine_now' }]);
    expect(screen.getByText(/this extension uses it now/)).toBeTruthy();
  });

  it('two users of one name: each row\'s buttons and the confirmation name them with their email; others by name alone', async () => {
    const user = userEvent.setup();
    const users = [person('u_admin', 'Ada Admin', 'admin'), person('u_ja', 'Jordan Lee', 'agent'), person('u_jb', 'Jordan Lee', 'agent')];
    const calls = serveUsers(users);
    const confirm = vi.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithProviders(<UsersSettings me={users[0]!} serverUrl={SERVER} />);

    const b = await rowOf('u_jb@example.com');
    expect(b.getByRole('button', { name: 'Edit Jordan Lee (u_jb@example.com)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Deactivate Jordan Lee (u_ja@example.com)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Edit Ada Admin' })).toBeTruthy();
    await user.click(b.getByRole('button', { name: 'Deactivate Jordan Lee (u_jb@example.com)' }));
    expect(confirm).toHaveBeenLastCalledWith(expect.stringMatching(/^Deactivate Jordan Lee \(u_jb@example\.com\)\?/));
    await waitFor(() => expect(calls).toContainEqual({ method: 'PATCH', path: '/users/u_jb', body: { active: false } }));
  });
});

describe('assigning in a workflow', () => {
  it('does not offer deactivated users, but keeps one the step already names, marked', async () => {
    const users = [person('u_ana', 'Ana', 'agent'), person('u_old', 'Old Timer', 'agent', { active: false, deactivatedAt: at }), person('u_gone', 'Gone', 'agent', { active: false, deactivatedAt: at })];
    serveApi({ 'GET /users': ok({ users }) });
    renderWithProviders(<AssignStepFields config={{ userId: 'u_old' }} onChange={() => undefined} path="steps.0.config" index={0} stepId="a" />);
    await screen.findByRole('option', { name: 'Ana (agent)' });
    const options = within(screen.getByLabelText('Assign to')).getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Choose a user…', 'Nobody (unassign)', 'Ana (agent)', 'Old Timer (agent) — deactivated']);
  });
});
