import { UNASSIGN } from '../../lib/contracts/steps';
import { isActive } from '../../lib/contracts/users';
import type { StepEditorProps } from './draft-types';
import { Field } from './Field';
import { useUsers } from './queries';
import { peopleOptions } from './people-options';

export function AssignStepFields({ config, onChange, path }: StepEditorProps<'assign_to'>) {
  const users = useUsers();
  // Deactivated users are not offered; one the step already names stays listed, marked, so the
  // choice is visible (publishing refuses it).
  const offered = peopleOptions((users.data?.users ?? []).filter((u) => isActive(u) || u.id === config.userId), (u, email) => [u.role, email]);
  return (
    <Field label="Assign to" path={`${path}.userId`}>
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
