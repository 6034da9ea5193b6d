import { UNASSIGN } from '../../lib/contracts/steps';
import type { StepEditorProps } from './draft-types';
import { Field } from './Field';
import { useUsers } from './queries';

export function AssignStepFields({ config, onChange, path }: StepEditorProps<'assign_to'>) {
  const users = useUsers();
  return (
    <Field label="Assign to" path={`${path}.userId`}>
      {(p) => (
        <select {...p} value={config.userId} onChange={(e) => onChange({ userId: e.target.value })}>
          <option value="">Choose a user…</option>
          <option value={UNASSIGN}>Nobody (unassign)</option>
          {users.data?.users.map((u) => <option key={u.id} value={u.id}>{u.name} ({u.role})</option>)}
        </select>
      )}
    </Field>
  );
}
