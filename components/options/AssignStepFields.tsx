import { UNASSIGN } from '../../lib/contracts/steps';
import { isActive } from '../../lib/contracts/users';
import type { StepEditorProps } from './draft-types';
import { Field } from './Field';
import { useUsers } from './queries';
import { peopleOptions } from './people-options';

/** What the step does for a contact with no open conversation (server/engine/steps/assign-to.ts). */
const OPENS_FIRST = 'With no conversation open, it opens one first on the channel the contact last used, as Send a message does; unassigning then does nothing.';

export function AssignStepFields({ config, onChange, path }: StepEditorProps<'assign_to'>) {
  const users = useUsers();
  // Deactivated users are not offered; one the step already names stays listed, marked, so the
  // choice is visible (publishing refuses it).
  const offered = peopleOptions((users.data?.users ?? []).filter((u) => isActive(u) || u.id === config.userId), (u, email) => [u.role, email]);
  return (
    <Field label="Assign to" path={`${path}.userId`} hint={OPENS_FIRST}>
      {(p) => (
        <select {...p} value={config.userId} onChange={(e) => onChange({ userId: e.target.value })}>
          <option value="">Choose a user…</option>
          <option value={UNASSIGN}>Nobody (unassign)</option>
          {offered.map(({ person: u, label }) => <option key={u.id} value={u.id}>{label}{isActive(u) ? '' : ' — deactivated'}</option>)}
        </select>
      )}
    </Field>
  );
}
