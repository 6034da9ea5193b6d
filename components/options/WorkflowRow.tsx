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
}

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : 'never');

export function WorkflowRow({ workflow: w, busy, onDuplicate, onDelete, onToggle, onExport }: Props) {
  const published = w.status === 'published';
  return (
    <tr>
      <td>
        <a href={`#/workflows/${encodeURIComponent(w.id)}`}>{w.name}</a>
        {w.unreadableSecrets && (
          <p className="reasons">
            {unreadableSecretsText(w.unreadableSecrets)}{' '}
            <a href={`#/workflows/${encodeURIComponent(w.id)}`} aria-label={`Fix “${w.name}” in the editor`}>Fix it in the editor</a>
          </p>
        )}
      </td>
      <td>{TRIGGER_LABELS[w.trigger.type]}</td>
      <td><StatusBadge status={w.status} /></td>
      <td>v{w.version}</td>
      <td><a href={`#/workflows/${encodeURIComponent(w.id)}/runs`} aria-label={`Runs of ${w.name}`}>{when(w.lastRunAt)}</a></td>
      <td className="actions">
        <button type="button" className="small" disabled={busy} onClick={onToggle}>{published ? 'Unpublish' : 'Publish'}</button>
        <button type="button" className="small" onClick={onDuplicate} disabled={busy}>Duplicate</button>
        <button type="button" className="small" onClick={onExport}>Export</button>
        <button type="button" className="small danger" disabled={busy} onClick={onDelete} aria-label={`Delete ${w.name}`}>Delete</button>
      </td>
    </tr>
  );
}
