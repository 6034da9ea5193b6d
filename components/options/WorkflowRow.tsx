import { deactivatedAssignees, deactivatedAssigneesText } from '../../lib/workflow/deactivated-assignees';
import { StatusBadge } from './StatusBadge';
import type { WorkflowSummary } from './schemas';
import { TRIGGER_LABELS } from './trigger-defaults';
import { unreadableSecretsText } from './unreadable-secrets';

interface Props {
  workflow: WorkflowSummary;
  busy: boolean;
  onDuplicate(): void;
  onDelete(): void;
  onToggle(): void;
  onExport(): void;
  /** Deactivated users, id → name (GET /users). */
  deactivated?: ReadonlyMap<string, string>;
}

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : 'never');

export function WorkflowRow({ workflow: w, busy, onDuplicate, onDelete, onToggle, onExport, deactivated = new Map() }: Props) {
  const published = w.status === 'published';
  // Its Assign step names someone deactivated since: every run fails there, and a shortcut is
  // unavailable in agents' launchers, until the admin chooses someone else.
  const stuck = deactivatedAssignees(w.steps, deactivated);
  return (
    <tr>
      <td>
        <a href={`#/workflows/${encodeURIComponent(w.id)}`} dir="auto">{w.name}</a>
        {w.unreadableSecrets && (
          <p className="reasons">
            {unreadableSecretsText(w.unreadableSecrets)}{' '}
            <a href={`#/workflows/${encodeURIComponent(w.id)}`} aria-label={`Fix “${w.name}” in the editor`}>Fix it in the editor</a>
          </p>
        )}
        {stuck.length > 0 && (
          <p className="reasons" data-testid="workflow-deactivated-assignee">
            {`${deactivatedAssigneesText(stuck).replace(/^it/, 'It')} (step ${stuck.map((f) => `“${f.stepId}”`).join(', ')}): `}
            {`${published ? 'its runs fail there' : 'publishing is refused'}${published && w.trigger.type === 'shortcut' ? ' and agents see the shortcut as unavailable' : ''}. `}
            <a href={`#/workflows/${encodeURIComponent(w.id)}`} aria-label={`Choose someone else in “${w.name}”`}>Choose someone else</a>
          </p>
        )}
      </td>
      <td>{TRIGGER_LABELS[w.trigger.type]}</td>
      <td><StatusBadge status={w.status} /></td>
      <td>v{w.version}</td>
      {/* The visible date first in the link's name (WCAG 2.5.3: "click never" works by voice), then whose runs. */}
      <td><a href={`#/workflows/${encodeURIComponent(w.id)}/runs`}>{when(w.lastRunAt)}<span className="sr-only">, runs of <bdi>{w.name}</bdi></span></a></td>
      {/* Each button names its workflow, as Delete does: a list of "Unpublish" ×5 tells a screen reader user nothing. */}
      <td className="actions">
        <button type="button" className="small" disabled={busy} onClick={onToggle} aria-label={`${published ? 'Unpublish' : 'Publish'} ${w.name}`}>{published ? 'Unpublish' : 'Publish'}</button>
        <button type="button" className="small" onClick={onDuplicate} disabled={busy} aria-label={`Duplicate ${w.name}`}>Duplicate</button>
        <button type="button" className="small" onClick={onExport} aria-label={`Export ${w.name}`}>Export</button>
        <button type="button" className="small danger" disabled={busy} onClick={onDelete} aria-label={`Delete ${w.name}`}>Delete</button>
      </td>
    </tr>
  );
}
