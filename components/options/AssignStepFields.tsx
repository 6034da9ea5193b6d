import { ASSIGN_PICKS, type AssignPick, UNASSIGN } from '../../lib/contracts/steps';
import { isActive } from '../../lib/contracts/users';
import { AssignPoolFields } from './AssignPoolFields';
import { AssignTeamField } from './AssignTeamField';
import type { StepConfigDraft, StepEditorProps } from './draft-types';
import { Field } from './Field';
import { useUsers } from './queries';
import { peopleOptions } from './people-options';

/** What the step does for a contact with no open conversation (server/engine/steps/assign-to.ts). */
const OPENS_FIRST = 'With no conversation open, it opens one first on the channel the contact last used, as Send a message does; unassigning then does nothing.';

/** respond.io's "Assignment logic" choices, in its words. */
const PICK_LABELS: Record<AssignPick, string> = {
  user: 'A specific user',
  round_robin: 'Users in turn (round robin)',
  least_open: 'The user with the fewest open conversations',
  team: 'A Chatwoot team',
};

/** The config for another way to pick; the people already chosen stay chosen. */
function switchPick(config: StepConfigDraft<'assign_to'>, pick: AssignPick): StepConfigDraft<'assign_to'> {
  const chosen = (config.pick ?? 'user') === 'user' ? (config.userId && config.userId !== UNASSIGN ? [config.userId] : []) : config.userIds ?? [];
  if (pick === 'team') return { pick };
  return pick === 'user' ? { userId: chosen[0] ?? '' } : { pick, userIds: chosen };
}

export function AssignStepFields({ config, onChange, path }: StepEditorProps<'assign_to'>) {
  const users = useUsers();
  const pick = config.pick ?? 'user';
  // Deactivated users are not offered; one the step already names stays listed, marked, so the
  // choice is visible (publishing refuses it).
  const named = new Set(pick === 'user' ? [config.userId] : config.userIds ?? []);
  const offered = peopleOptions((users.data?.users ?? []).filter((u) => isActive(u) || named.has(u.id)), (u, email) => [u.role, email]);
  return (
    <>
      <Field label="Assignment logic" path={`${path}.pick`}>
        {(p) => (
          <select {...p} value={pick} onChange={(e) => onChange(switchPick(config, e.target.value as AssignPick))}>
            {ASSIGN_PICKS.map((k) => <option key={k} value={k}>{PICK_LABELS[k]}</option>)}
          </select>
        )}
      </Field>
      {pick === 'user' ? (
        <Field label="Assign to" path={`${path}.userId`} hint={OPENS_FIRST}>
          {(p) => (
            <select {...p} value={config.userId ?? ''} onChange={(e) => onChange({ userId: e.target.value })}>
              <option value="">Choose a user…</option>
              <option value={UNASSIGN}>Nobody (unassign)</option>
              {offered.map(({ person: u, label }) => <option key={u.id} value={u.id}>{label}{isActive(u) ? '' : ' — deactivated'}</option>)}
            </select>
          )}
        </Field>
      ) : pick === 'team' ? (
        <AssignTeamField teamId={config.teamId} path={path} onChange={(teamId) => onChange(teamId === undefined ? { pick } : { pick, teamId })} />
      ) : (
        <AssignPoolFields pick={pick} userIds={config.userIds ?? []} offered={offered} path={path} hint={OPENS_FIRST}
          onChange={(userIds) => onChange({ pick, userIds })} />
      )}
    </>
  );
}
