import type { User } from '../../lib/contracts/users';
import { isActive } from '../../lib/contracts/users';
import { GroupError } from './Field';

interface Props {
  pick: 'round_robin' | 'least_open';
  userIds: readonly string[];
  offered: readonly { person: User; label: string }[];
  path: string;
  hint: string;
  onChange(userIds: string[]): void;
}

const HOW: Record<Props['pick'], string> = {
  round_robin: 'Each run assigns the next of them in this order, going round; someone deactivated since is skipped.',
  least_open: 'Each run assigns whoever of them has the fewest open conversations; a tie goes to the one first in this order.',
};

/**
 * The people an Assign to step picks among (a respond.io team's members): ticked in the order
 * they take turns, which the hint spells out, since the order decides turns and ties.
 */
export function AssignPoolFields({ pick, userIds, offered, path, hint, onChange }: Props) {
  const toggle = (id: string, on: boolean) => onChange(on ? [...userIds.filter((u) => u !== id), id] : userIds.filter((u) => u !== id));
  const nameOf = (id: string) => offered.find((o) => o.person.id === id)?.person.name ?? id;
  return (
    <fieldset className="assign-pool">
      <legend>Users to choose from</legend>
      <ul className="stack">
        {offered.map(({ person: u, label }) => (
          <li key={u.id}>
            <label className="check">
              <input type="checkbox" checked={userIds.includes(u.id)} onChange={(e) => toggle(u.id, e.target.checked)} />
              {label}{isActive(u) ? '' : ' — deactivated'}
            </label>
          </li>
        ))}
      </ul>
      <p className="hint">
        {userIds.length > 0 ? `Order: ${userIds.map(nameOf).join(' → ')}. ` : ''}{HOW[pick]} {hint}
      </p>
      <GroupError path={`${path}.userIds`} />
      {userIds.map((id, j) => <GroupError key={id} path={`${path}.userIds.${j}`} />)}
    </fieldset>
  );
}
