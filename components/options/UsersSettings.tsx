import { useState, type ReactNode } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import {
  isActive, ROLES, USER_KINDS, UserChanged, UserCreateBody, UserCreated, UserTokenIssued,
  type Role, type User, type UserPatchBody,
} from '../../lib/contracts/users';
import { sendMessage } from '../../lib/extension/messaging';
import { ApiFailure, errorMessage, refusalMessage, request } from './api';
import { PLAIN_ERRORS, placeDetails, type ErrorMap } from './error-paths';
import { ChatwootUnassignNote } from './ChatwootUnassignNote';
import { FieldErrorsContext } from './errors-context';
import { Field, FormError, useServerFieldErrors } from './Field';
import { keys, useUsers } from './queries';
import { nameWith, sharedNames } from '../../lib/workflow/name-order';
import { readerCollator } from './reader-order';

type Body = z.input<typeof UserCreateBody>;
const FIELDS = ['name', 'email', 'role', 'kind'] as const;

/** A refused create: details on their fields, a taken email on the email field, the rest on top. */
function refusal(err: unknown): { placed: ErrorMap; top?: string; rest: ErrorMap } {
  if (err instanceof ApiFailure && err.status === 409 && /\bemail\b/i.test(err.message)) return { placed: { email: err.message }, rest: {} };
  const placed = placeDetails(err instanceof ApiFailure ? err.details : [], FIELDS);
  return { ...placed, top: refusalMessage(err, placed.placed) };
}

/** A token to copy now: a new user's, or a new one for an existing user. Never shown again. */
interface ShownToken { user: User; token: string; renewed: boolean; self: boolean }

const ROLE_MEANS: Record<Role, string> = {
  agent: 'agents launch shortcuts in their inbox',
  supervisor: 'supervisors also decide which agents may use shortcuts',
  admin: 'admins configure everything, users included',
};

/** What a deactivation did, in words, and what Chatwoot did not take of it. */
function deactivatedNote(changed: UserChanged): ReactNode {
  const parts = [`${changed.name} is deactivated: their token and inbox sessions no longer work.`];
  const n = changed.unassigned ?? 0;
  if (n > 0) parts.push(`${n} open ${n === 1 ? 'conversation was' : 'conversations were'} unassigned.`);
  const flows = changed.workflowsAssigning ?? [];
  if (flows.length > 0) {
    parts.push(`Published workflows that assign to them: ${flows.map((w) => `“${w.name}”`).join(', ')}; their Assign step fails until you choose someone else.`);
  }
  const failed = changed.chatwootUnassignFailed ?? [];
  return failed.length ? <>{parts.join(' ')}<ChatwootUnassignNote name={changed.name} failed={failed} /></> : parts.join(' ');
}

/**
 * Workspace users: create, rename, change role, deactivate / reactivate, give a new token. A
 * token is shown once, right after it is made. Every change asks first and shows the server's
 * refusal (the last active admin cannot be demoted or deactivated: 409).
 */
export function UsersSettings({ me, serverUrl }: { me?: User; serverUrl?: string } = {}) {
  const client = useQueryClient();
  const users = useUsers();
  // Two of one name ("Jordan Lee") are told apart by their email wherever a row's buttons or a
  // confirmation name them, as the pickers do (people-options.ts): a screen reader, or an admin
  // about to deactivate one of them, cannot tell which row it is by the name alone.
  const shared = sharedNames(users.data?.users ?? [], readerCollator);
  const who = (u: User) => nameWith(u.name, [shared.has(u.id) && u.email]);
  const [serverErrors, setServerErrors] = useServerFieldErrors();
  const [shown, setShown] = useState<ShownToken | null>(null);
  const [note, setNote] = useState<ReactNode>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const { register, handleSubmit, reset, setFocus, formState: { errors } } = useForm<Body, unknown, z.output<typeof UserCreateBody>>({
    resolver: zodResolver(UserCreateBody, PLAIN_ERRORS),
    defaultValues: { name: '', email: '', role: 'agent', kind: 'human' },
  });
  const refresh = () => client.invalidateQueries({ queryKey: keys.users });
  const create = useMutation({
    mutationFn: (body: z.output<typeof UserCreateBody>) => request(UserCreated, 'POST', '/users', body),
    onMutate: () => { setServerErrors({}); setShown(null); setNote(null); },
    onError: (err) => {
      const { placed } = refusal(err);
      setServerErrors(placed);
      const first = FIELDS.find((f) => f in placed);
      if (first) setFocus(first);
    },
    onSuccess: (created) => { reset(); setShown({ ...created, renewed: false, self: false }); void refresh(); },
  });
  const change = useMutation({
    mutationFn: ({ user, body }: { user: User; body: UserPatchBody }) =>
      request(UserChanged, 'PATCH', `/users/${encodeURIComponent(user.id)}`, body),
    onMutate: () => { setShown(null); setNote(null); },
    onSuccess: (changed, { user, body }) => {
      setEditing(null);
      if (body.active === false) setNote(deactivatedNote(changed));
      else if (body.active === true) setNote(`${changed.name} is active again.`);
      else setNote(`Saved ${changed.name}${changed.role !== user.role ? ` (now ${changed.role === 'agent' ? 'an' : 'a'} ${changed.role})` : ''}.`);
    },
    onSettled: () => refresh(),
  });
  const renew = useMutation({
    mutationFn: async (user: User) => {
      const issued = await request(UserTokenIssued, 'POST', `/users/${encodeURIComponent(user.id)}/token`);
      const self = user.id === me?.id;
      // The extension signs in with the token just revoked: it switches to the new one itself.
      if (self && serverUrl) await sendMessage('connect', { serverUrl, token: issued.token });
      return { ...issued, renewed: true, self };
    },
    onMutate: () => { setShown(null); setNote(null); },
    onSuccess: (issued) => {
      setShown(issued);
      if (issued.self) void client.invalidateQueries({ queryKey: ['connection'] });
    },
  });
  const failed = change.error ?? renew.error;

  const deactivate = (u: User) => {
    const self = u.id === me?.id;
    const question = self
      ? 'Deactivate your own account? Your token and inbox sessions stop working at once, so this page signs out.'
      : `Deactivate ${who(u)}? Their token and inbox sessions stop working at once, their open conversations are unassigned, and they cannot be assigned. What they did keeps their name; you can reactivate them.`;
    if (window.confirm(question)) change.mutate({ user: u, body: { active: false } });
  };
  const reactivate = (u: User) => {
    if (window.confirm(`Reactivate ${who(u)}? Their earlier token works again: give them a new token if it may have leaked.`)) {
      change.mutate({ user: u, body: { active: true } });
    }
  };
  const newToken = (u: User) => {
    const question = u.id === me?.id
      ? 'Give yourself a new token? Your current token and inbox sessions stop working at once; this extension switches to the new one.'
      : `Give ${who(u)} a new token? Their current token and inbox sessions stop working at once; they sign in again with the new one.`;
    if (window.confirm(question)) renew.mutate(u);
  };
  const save = (u: User, name: string, role: Role) => {
    const body: UserPatchBody = {};
    if (name.trim() !== u.name) body.name = name.trim();
    if (role !== u.role) body.role = role;
    if (Object.keys(body).length === 0) { setEditing(null); return; }
    if (body.role) {
      const self = u.id === me?.id;
      const question = `Change ${self ? 'your' : `${who(u)}’s`} role from ${u.role} to ${role}? ${ROLE_MEANS[role][0]!.toUpperCase()}${ROLE_MEANS[role].slice(1)}.`
        + (self && role !== 'admin' ? ' You lose access to these settings at once.' : '');
      if (!window.confirm(question)) return;
    }
    change.mutate({ user: u, body });
  };

  const refused = create.error ? refusal(create.error) : undefined;
  return (
    <section className="panel" aria-labelledby="users-h">
      <h3 id="users-h">Users</h3>
      <div className="table-wrap">
        <table className="table" aria-label="Users">
          <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Kind</th><th>Shortcuts</th><th>Status</th><th><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {users.data?.users.map((u) => (editing === u.id
              ? <EditRow key={u.id} user={u} who={who(u)} busy={change.isPending} onSave={(name, role) => save(u, name, role)} onCancel={() => { setEditing(null); change.reset(); }} />
              : (
                <tr key={u.id} className={isActive(u) ? undefined : 'muted'} data-testid="user-row">
                  <td>{u.name}{u.id === me?.id ? ' (you)' : ''}</td>
                  <td>{u.email}</td>
                  <td>{u.role}</td>
                  <td>{u.kind === 'bot' ? 'bot' : 'person'}</td>
                  <td>{u.role === 'agent' && isActive(u) ? (u.shortcutsEnabled ? 'on' : 'off') : '—'}</td>
                  <td>{isActive(u) ? 'active' : 'deactivated'}</td>
                  <td className="actions">
                    <button type="button" className="small" aria-label={`Edit ${who(u)}`} disabled={change.isPending}
                      onClick={() => { change.reset(); renew.reset(); setEditing(u.id); }}>Edit</button>
                    <button type="button" className="small" aria-label={`New token for ${who(u)}`} disabled={renew.isPending}
                      onClick={() => newToken(u)}>New token</button>
                    {isActive(u)
                      ? <button type="button" className="small danger" aria-label={`Deactivate ${who(u)}`} disabled={change.isPending} onClick={() => deactivate(u)}>Deactivate</button>
                      : <button type="button" className="small" aria-label={`Reactivate ${who(u)}`} disabled={change.isPending} onClick={() => reactivate(u)}>Reactivate</button>}
                  </td>
                </tr>
              )))}
          </tbody>
        </table>
      </div>
      {failed && <p className="error" role="alert">{errorMessage(failed)}</p>}
      {note && <div className="notice" role="status">{note}</div>}
      {shown && (
        <div className="notice" role="status">
          {shown.renewed
            ? <>New {shown.user.kind === 'bot' ? 'API token' : 'token'} for <strong>{shown.user.name}</strong>{shown.self ? ' (this extension uses it now)' : ''}; the old one no longer works. Copy it now, it is not shown again:</>
            : <>{shown.user.kind === 'bot' ? 'API token' : 'Token'} for <strong>{shown.user.name}</strong> — copy it now, it is not shown again:</>}
          <code className="secret">{shown.token}</code>
          <button type="button" className="small" onClick={() => void navigator.clipboard.writeText(shown.token)}>Copy token</button>
        </div>
      )}
      <FormError message={refused?.top} details={refused?.rest} />
      <FieldErrorsContext.Provider value={serverErrors}>
        <form className="inline-form" noValidate onSubmit={handleSubmit((v) => create.mutate(v))}>
          {/* Other sections have a Name too: each control says whose it is, as a row's do ("Name of Ada"). */}
          <Field label="Name" path="name" error={errors.name?.message}>{(p) => <input {...p} aria-label="Name of the new user" {...register('name')} />}</Field>
          <Field label="Email" path="email" error={errors.email?.message}>{(p) => <input {...p} aria-label="Email of the new user" type="email" {...register('email')} />}</Field>
          <Field label="Role" path="role" error={errors.role?.message}>
            {(p) => <select {...p} aria-label="Role of the new user" {...register('role')}>{ROLES.map((r) => <option key={r}>{r}</option>)}</select>}
          </Field>
          <Field label="Kind" path="kind" error={errors.kind?.message}
            hint="A bot user is an AI agent or script with its own API token: what it opens or closes has source “bot”.">
            {(p) => <select {...p} aria-label="Kind of the new user" {...register('kind')}>{USER_KINDS.map((k) => <option key={k} value={k}>{k === 'bot' ? 'bot' : 'person'}</option>)}</select>}
          </Field>
          <button type="submit" disabled={create.isPending}>Create user</button>
        </form>
      </FieldErrorsContext.Provider>
    </section>
  );
}

/** A user's row while editing their name and role. */
function EditRow({ user, who, busy, onSave, onCancel }: { user: User; who: string; busy: boolean; onSave: (name: string, role: Role) => void; onCancel: () => void }) {
  const [name, setName] = useState(user.name);
  const [role, setRole] = useState<Role>(user.role);
  const empty = name.trim() === '';
  return (
    <tr data-testid="user-row">
      <td colSpan={2}>
        <input aria-label={`Name of ${who}`} dir="auto" value={name} maxLength={100} onChange={(e) => setName(e.target.value)}
          {...(empty ? { 'aria-invalid': true } : {})} />
        {empty && <p className="error">Enter a name</p>}
        <span className="muted"> {user.email}</span>
      </td>
      <td colSpan={4}>
        <select aria-label={`Role of ${who}`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => <option key={r}>{r}</option>)}
        </select>
      </td>
      <td className="actions">
        <button type="button" className="small" disabled={busy || empty} onClick={() => onSave(name, role)}>Save</button>
        <button type="button" className="small" onClick={onCancel}>Cancel</button>
      </td>
    </tr>
  );
}
