import { RUN_STATUSES } from '../../lib/contracts/runs';
import { useWorkflows } from './queries';
import type { RunFilter } from './use-run-history';

interface Props {
  filter: RunFilter;
  /** The contact filter's label (a name rather than an id). */
  contactLabel: string | null;
  onChange(next: RunFilter): void;
}

/** Which runs the table shows: workflow, status, contact (set from a row) and start time. */
export function RunFilters({ filter, contactLabel, onChange }: Props) {
  const workflows = useWorkflows();
  const set = (patch: Partial<RunFilter>) => onChange({ ...filter, ...patch });
  return (
    <div className="run-filters" role="group" aria-label="Filter runs">
      <label>Workflow
        <select value={filter.workflowId} onChange={(e) => set({ workflowId: e.target.value })}>
          <option value="">All workflows</option>
          {(workflows.data?.workflows ?? []).map((w) => <option key={w.id} value={w.id}>{w.name}</option>)}
        </select>
      </label>
      <label>Status
        <select value={filter.status} onChange={(e) => set({ status: e.target.value as RunFilter['status'] })}>
          <option value="">Any status</option>
          {RUN_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <label>From
        <input type="datetime-local" value={filter.since} onChange={(e) => set({ since: e.target.value })} />
      </label>
      <label>To
        <input type="datetime-local" value={filter.until} onChange={(e) => set({ until: e.target.value })} />
      </label>
      {filter.contactId ? (
        <span className="chip" data-testid="contact-filter">
          Contact: {contactLabel ?? filter.contactId}
          <button type="button" className="small" aria-label="Show every contact" onClick={() => set({ contactId: '' })}>×</button>
        </span>
      ) : (
        <span className="hint">Pick a contact in the table to see only their runs.</span>
      )}
    </div>
  );
}
