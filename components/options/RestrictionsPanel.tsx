import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import { isActive, Restrictions, User, type UserList } from '../../lib/contracts/users';
import { errorMessage, request } from './api';
import { keys, useRestrictions, useUsers } from './queries';
import { Switch } from './Switch';

/** Supervisor: whether agents may use shortcuts, workspace-wide and per agent. Saved on each toggle. */
export function RestrictionsPanel() {
  const client = useQueryClient();
  const restrictions = useRestrictions();
  const users = useUsers();
  const workspace = useMutation({
    mutationFn: (on: boolean) => request(Restrictions, 'PATCH', '/settings/restrictions', { agentsCanUseShortcuts: on }),
    onMutate: (on) => client.setQueryData(keys.restrictions, { agentsCanUseShortcuts: on }),
    onSuccess: (r) => client.setQueryData(keys.restrictions, r),
    onError: () => client.invalidateQueries({ queryKey: keys.restrictions }),
  });
  const agent = useMutation({
    mutationFn: ({ id, on }: { id: string; on: boolean }) =>
      request(User, 'PATCH', `/users/${encodeURIComponent(id)}/restrictions`, { shortcutsEnabled: on }),
    onMutate: ({ id, on }) => client.setQueryData(keys.users, (old: z.infer<typeof UserList> | undefined) =>
      old && { users: old.users.map((u) => (u.id === id ? { ...u, shortcutsEnabled: on } : u)) }),
    onSettled: () => client.invalidateQueries({ queryKey: keys.users }),
  });
  // Deactivated agents cannot sign in: nothing to decide for them.
  const agents = (users.data?.users ?? []).filter((u) => u.role === 'agent' && isActive(u));
  const allowed = restrictions.data?.agentsCanUseShortcuts ?? false;
  const error = workspace.error ?? agent.error ?? restrictions.error ?? users.error;
  return (
    <section aria-labelledby="restrictions-heading" className="panel">
      <h2 id="restrictions-heading">Restrictions</h2>
      <p className="hint">Changes apply to agents’ launchers at once.</p>
      {error && <p className="error" role="alert">{errorMessage(error)}</p>}
      <Switch label="Agents can use shortcuts" checked={allowed} disabled={!restrictions.isSuccess}
        description={allowed ? 'On: each agent\'s own switch below decides.' : 'Off: no agent can launch shortcuts, whatever their own switch says.'}
        onChange={(on) => workspace.mutate(on)} />
      <h3>Agents</h3>
      {users.isSuccess && agents.length === 0 && <p className="empty">No agents yet.</p>}
      <ul className="agents">
        {agents.map((u) => (
          <li key={u.id} data-testid="agent-restriction">
            {/* The switch shows what the agent gets: with the workspace switch off, off for everyone. */}
            <Switch label={`Shortcuts for ${u.name}`} checked={allowed && u.shortcutsEnabled} disabled={!allowed}
              description={allowed
                ? u.email
                : `${u.email} · off: the workspace switch is off (own setting: ${u.shortcutsEnabled ? 'on' : 'off'}, applies when it is on again)`}
              onChange={(on) => agent.mutate({ id: u.id, on })} />
          </li>
        ))}
      </ul>
    </section>
  );
}
