import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { ROLES, USER_KINDS, UserCreateBody, UserCreated } from '../../lib/contracts/users';
import { ApiFailure, errorMessage, request } from './api';
import { PLAIN_ERRORS, placeDetails, type ErrorMap } from './error-paths';
import { FieldErrorsContext } from './errors-context';
import { Field, FormError, useServerFieldErrors } from './Field';
import { keys, useUsers } from './queries';

type Body = z.input<typeof UserCreateBody>;
const FIELDS = ['name', 'email', 'role', 'kind'] as const;

/** A refused create: details on their fields, a taken email on the email field, the rest on top. */
function refusal(err: unknown): { placed: ErrorMap; top?: string; rest: ErrorMap } {
  if (err instanceof ApiFailure && err.status === 409 && /\bemail\b/i.test(err.message)) return { placed: { email: err.message }, rest: {} };
  return { ...placeDetails(err instanceof ApiFailure ? err.details : [], FIELDS), top: errorMessage(err) };
}

/** Workspace users; a new user's token is shown once, right after creation. */
export function UsersSettings() {
  const client = useQueryClient();
  const users = useUsers();
  const [serverErrors, setServerErrors] = useServerFieldErrors();
  const { register, handleSubmit, reset, setFocus, formState: { errors } } = useForm<Body, unknown, z.output<typeof UserCreateBody>>({
    resolver: zodResolver(UserCreateBody, PLAIN_ERRORS),
    defaultValues: { name: '', email: '', role: 'agent', kind: 'human' },
  });
  const create = useMutation({
    mutationFn: (body: z.output<typeof UserCreateBody>) => request(UserCreated, 'POST', '/users', body),
    onMutate: () => setServerErrors({}),
    onError: (err) => {
      const { placed } = refusal(err);
      setServerErrors(placed);
      const first = FIELDS.find((f) => f in placed);
      if (first) setFocus(first);
    },
    onSuccess: () => { reset(); void client.invalidateQueries({ queryKey: keys.users }); },
  });
  const refused = create.error ? refusal(create.error) : undefined;
  return (
    <section className="panel" aria-labelledby="users-h">
      <h3 id="users-h">Users</h3>
      <table className="table" aria-label="Users">
        <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Kind</th><th>Shortcuts</th></tr></thead>
        <tbody>
          {users.data?.users.map((u) => (
            <tr key={u.id}><td>{u.name}</td><td>{u.email}</td><td>{u.role}</td><td>{u.kind === 'bot' ? 'bot' : 'person'}</td><td>{u.role === 'agent' ? (u.shortcutsEnabled ? 'on' : 'off') : '—'}</td></tr>
          ))}
        </tbody>
      </table>
      <FormError message={refused?.top} details={refused?.rest} />
      <FieldErrorsContext.Provider value={serverErrors}>
        <form className="inline-form" noValidate onSubmit={handleSubmit((v) => create.mutate(v))}>
          <Field label="Name" path="name" error={errors.name?.message}>{(p) => <input {...p} {...register('name')} />}</Field>
          <Field label="Email" path="email" error={errors.email?.message}>{(p) => <input {...p} type="email" {...register('email')} />}</Field>
          <Field label="Role" path="role" error={errors.role?.message}>
            {(p) => <select {...p} {...register('role')}>{ROLES.map((r) => <option key={r}>{r}</option>)}</select>}
          </Field>
          <Field label="Kind" path="kind" error={errors.kind?.message}
            hint="A bot user is an AI agent or script with its own API token: what it opens or closes has source “bot”.">
            {(p) => <select {...p} {...register('kind')}>{USER_KINDS.map((k) => <option key={k} value={k}>{k === 'bot' ? 'bot' : 'person'}</option>)}</select>}
          </Field>
          <button type="submit" disabled={create.isPending}>Create user</button>
        </form>
      </FieldErrorsContext.Provider>
      {create.data && (
        <div className="notice" role="status">
          {create.data.user.kind === 'bot' ? 'API token' : 'Token'} for <strong>{create.data.user.name}</strong> — copy it now, it is not shown again:
          <code className="secret">{create.data.token}</code>
          <button type="button" className="small" onClick={() => void navigator.clipboard.writeText(create.data.token)}>Copy token</button>
        </div>
      )}
    </section>
  );
}
