import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { ROLES, UserCreateBody, UserCreated } from '../../lib/contracts/users';
import { errorMessage, request } from './api';
import { PLAIN_ERRORS } from './error-paths';
import { Field } from './Field';
import { keys, useUsers } from './queries';

type Body = z.input<typeof UserCreateBody>;

/** Workspace users; a new user's token is shown once, right after creation. */
export function UsersSettings() {
  const client = useQueryClient();
  const users = useUsers();
  const { register, handleSubmit, reset, formState: { errors } } = useForm<Body, unknown, z.output<typeof UserCreateBody>>({
    resolver: zodResolver(UserCreateBody, PLAIN_ERRORS),
    defaultValues: { name: '', email: '', role: 'agent' },
  });
  const create = useMutation({
    mutationFn: (body: z.output<typeof UserCreateBody>) => request(UserCreated, 'POST', '/users', body),
    onSuccess: () => { reset(); void client.invalidateQueries({ queryKey: keys.users }); },
  });
  return (
    <section className="panel" aria-labelledby="users-h">
      <h3 id="users-h">Users</h3>
      <table className="table" aria-label="Users">
        <thead><tr><th>Name</th><th>Email</th><th>Role</th><th>Shortcuts</th></tr></thead>
        <tbody>
          {users.data?.users.map((u) => (
            <tr key={u.id}><td>{u.name}</td><td>{u.email}</td><td>{u.role}</td><td>{u.role === 'agent' ? (u.shortcutsEnabled ? 'on' : 'off') : '—'}</td></tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" noValidate onSubmit={handleSubmit((v) => create.mutate(v))}>
        <Field label="Name" error={errors.name?.message}>{(p) => <input {...p} {...register('name')} />}</Field>
        <Field label="Email" error={errors.email?.message}>{(p) => <input {...p} type="email" {...register('email')} />}</Field>
        <Field label="Role" error={errors.role?.message}>
          {(p) => <select {...p} {...register('role')}>{ROLES.map((r) => <option key={r}>{r}</option>)}</select>}
        </Field>
        <button type="submit" disabled={create.isPending}>Create user</button>
      </form>
      {create.isError && <p className="error" role="alert">{errorMessage(create.error)}</p>}
      {create.data && (
        <div className="notice" role="status">
          Token for <strong>{create.data.user.name}</strong> — copy it now, it is not shown again:
          <code className="secret">{create.data.token}</code>
          <button type="button" className="small" onClick={() => void navigator.clipboard.writeText(create.data.token)}>Copy token</button>
        </div>
      )}
    </section>
  );
}
