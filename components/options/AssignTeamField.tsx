import { useChatwootTeams } from './chatwoot-teams';
import { Field } from './Field';

/** Said under the team choice: the built-in inbox has no teams (server/engine/steps/assign-to.ts). */
export const TEAMS_NEED_CHATWOOT = 'Teams are Chatwoot\'s: a conversation in Chatwoot goes to the team (Chatwoot may then give it to one of its agents); a conversation in the built-in inbox, or none open, fails the step, saying so.';

interface Props {
  teamId: number | undefined;
  path: string;
  onChange(teamId: number | undefined): void;
}

/** The team an Assign to step hands the conversation to, among the connected Chatwoot accounts' teams. */
export function AssignTeamField({ teamId, path, onChange }: Props) {
  const teams = useChatwootTeams();
  const listed = teams.data?.teams ?? [];
  const accounts = new Set(listed.map((t) => t.account));
  const none = teams.isSuccess && listed.length === 0;
  const unread = (teams.data?.errors ?? []).map((e) => `${e.account}: ${e.message}`).join('; ');
  const hint = [
    none ? 'No Chatwoot team to choose: connect a Chatwoot account under Settings → Chatwoot, and create teams there.' : '',
    unread ? `Teams could not be read from ${unread}.` : '',
    TEAMS_NEED_CHATWOOT,
  ].filter(Boolean).join(' ');
  return (
    <Field label="Team" path={`${path}.teamId`} hint={hint}>
      {(p) => (
        <select {...p} value={teamId ?? ''} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}>
          <option value="">Choose a Chatwoot team…</option>
          {teamId !== undefined && !listed.some((t) => t.id === teamId) && <option value={teamId}>Team {teamId} (not listed now)</option>}
          {listed.map((t) => <option key={`${t.connectionId}:${t.id}`} value={t.id}>{accounts.size > 1 ? `${t.name} (${t.account})` : t.name}</option>)}
        </select>
      )}
    </Field>
  );
}
