import { useQuery } from '@tanstack/react-query';
import { RUN_STATUSES, RunHistoryWorkflows } from '../../lib/contracts/runs';
import { isActive } from '../../lib/contracts/users';
import { request } from './api';
import { useUsers } from './queries';
import { peopleOptions } from './people-options';
import { byReaderName } from './reader-order';
import { RunContactSearch } from './RunContactSearch';
import type { RunFilter } from './use-run-history';

/**
 * The workflows the run history can show: every workflow, and the deleted ones whose runs stay.
 * Under `workflows`, so a workflow made, renamed or deleted refreshes it.
 */
export const useRunHistoryWorkflows = () => useQuery({
  queryKey: ['workflows', 'run-history'],
  // Sorted here too: a server older than the extension answered them in another order.
  queryFn: async () => {
    const { workflows } = await request(RunHistoryWorkflows, 'GET', '/runs/workflows');
    return { workflows: workflows.sort(byReaderName) };
  },
});
/** A workflow's name in the run history; a deleted one says so. */
export const historyName = (w: { name: string; deleted: boolean }) => (w.deleted ? `${w.name} (deleted)` : w.name);

interface Props {
  filter: RunFilter;
  /** The contact filter's label (a name rather than an id). */
  contactLabel: string | null;
  onChange(next: RunFilter): void;
  /** A contact found by the search: its runs only, named by `label`. */
  onPickContact(id: string, label: string): void;
}

/**
 * Who launched the runs shown: anyone, or one person (deactivated people too: their runs stay).
 * Bots launch no shortcuts and are left out. Two of one name are told apart by their email.
 */
function LauncherFilter({ value, onChange }: { value: string; onChange(id: string): void }) {
  const users = useUsers();
  const people = peopleOptions((users.data?.users ?? []).filter((u) => u.kind !== 'bot'), (u, email) => [email, !isActive(u) && 'deactivated']);
  return (
    <label>Launched by
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Anyone</option>
        {people.map(({ person: u, label }) => <option key={u.id} value={u.id}>{label}</option>)}
        {value && !people.some(({ person }) => person.id === value) && <option value={value}>{value}</option>}
      </select>
    </label>
  );
}

/**
 * Who ran the runs shown again (Run again, Run all failed again): a rerun keeps the launcher of the
 * run it repeats, so "Launched by" never finds a supervisor's reruns. Agents cannot run again:
 * supervisors and admins are offered, and whoever is chosen already.
 */
function RerunnerFilter({ value, onChange }: { value: string; onChange(id: string): void }) {
  const users = useUsers();
  const people = peopleOptions((users.data?.users ?? []).filter((u) => u.kind !== 'bot' && u.role !== 'agent'), (u, email) => [email, !isActive(u) && 'deactivated']);
  return (
    <label>Run again by
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">Anyone</option>
        {people.map(({ person: u, label }) => <option key={u.id} value={u.id}>{label}</option>)}
        {value && !people.some(({ person }) => person.id === value) && <option value={value}>{value}</option>}
      </select>
    </label>
  );
}

/** Which runs the table shows: workflow (deleted ones too), status, who launched them, contact (searched, or picked in a row) and start time. */
export function RunFilters({ filter, contactLabel, onChange, onPickContact }: Props) {
  const workflows = useRunHistoryWorkflows();
  const set = (patch: Partial<RunFilter>) => onChange({ ...filter, ...patch });
  return (
    <div className="run-filters" role="group" aria-label="Filter runs">
      <label>Workflow
        <select value={filter.workflowId} onChange={(e) => set({ workflowId: e.target.value })}>
          <option value="">All workflows</option>
          {(workflows.data?.workflows ?? []).map((w) => <option key={w.id} value={w.id}>{historyName(w)}</option>)}
        </select>
      </label>
      <label>Status
        <select value={filter.status} onChange={(e) => set({ status: e.target.value as RunFilter['status'] })}>
          <option value="">Any status</option>
          {RUN_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <LauncherFilter value={filter.launchedBy ?? ''} onChange={(launchedBy) => set({ launchedBy })} />
      <RerunnerFilter value={filter.rerunBy ?? ''} onChange={(rerunBy) => set({ rerunBy })} />
      <label>From
        <input type="datetime-local" value={filter.since} onChange={(e) => set({ since: e.target.value })} />
      </label>
      <label>To
        <input type="datetime-local" value={filter.until} onChange={(e) => set({ until: e.target.value })} />
      </label>
      {filter.notRunAgain && (
        // Set by "Show failed runs": the failures nobody ran again, those the count counted.
        <span className="chip" data-testid="not-run-again-filter">
          Not run again
          <button type="button" className="small" aria-label="Show the runs run again too" onClick={() => set({ notRunAgain: false })}>×</button>
        </span>
      )}
      {filter.contactId ? (
        <span className="chip" data-testid="contact-filter">
          Contact: {contactLabel ?? filter.contactId}
          <button type="button" className="small" aria-label="Show every contact" onClick={() => set({ contactId: '' })}>×</button>
        </span>
      ) : (
        <RunContactSearch onPick={onPickContact} />
      )}
    </div>
  );
}
