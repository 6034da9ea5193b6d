import { useId } from 'react';
import type { WorkflowImportBody, WorkflowImportResult } from '../../lib/contracts/workflow-file';

type Planned = WorkflowImportResult['workflows'][number];

interface Props {
  workflows: Planned[];
  /** Place in the file → id of the workflow here it replaces; absent: a new one. */
  replacing: Record<number, string>;
  onChange(index: number, id: string | undefined): void;
  replaceAs: WorkflowImportBody['replaceAs'];
  onReplaceAs(as: WorkflowImportBody['replaceAs']): void;
}

/**
 * Per workflow of the file that is here already (by the id it was exported with, else by name):
 * a new one, as before (its own id and webhook URL), or the one here replaced, which keeps its
 * id, webhook URL and run history and takes the file's version as an edit would: a published one
 * stays live (a shop's webhook keeps being answered), unless the admin asks for drafts.
 */
export function ImportReplaceChoices({ workflows, replacing, onChange, replaceAs, onReplaceAs }: Props) {
  const group = useId();
  const here = workflows.flatMap((w, i) => (w.replaceable?.length ? [{ w, i, candidates: w.replaceable }] : []));
  if (here.length === 0) return null;
  const publishedPicked = here.some(({ i, candidates }) => candidates.find((c) => c.id === replacing[i])?.status === 'published');
  return (
    <>
      <h4>Already on this server</h4>
      <p>Replacing keeps the workflow’s id, webhook URL and run history. A published one stays published with the file’s version, live at once, as after an edit (runs already started finish on the version they began with); a draft stays a draft.</p>
      {here.map(({ w, i, candidates }) => (
        <fieldset key={i} className="import-replace">
          <legend>“{w.name}”</legend>
          <label>
            <input type="radio" name={`${group}-${i}`} checked={!replacing[i]} onChange={() => onChange(i, undefined)} />
            {' '}Create new{w.importedAs ? ` “${w.importedAs}”` : ''}
          </label>
          {candidates.map((c) => (
            <label key={c.id}>
              <input type="radio" name={`${group}-${i}`} checked={replacing[i] === c.id} onChange={() => onChange(i, c.id)} />
              {' '}Replace “{c.name}”{c.detail ? ` (${c.detail})` : ''}
            </label>
          ))}
        </fieldset>
      ))}
      {publishedPicked && (
        <label className="import-replace-as">
          <input type="checkbox" checked={replaceAs === 'draft'} onChange={(e) => onReplaceAs(e.target.checked ? 'draft' : 'same-status')} />
          {' '}Replace as drafts: the published workflows replaced stop (their webhook URLs refuse deliveries) until you publish them again
        </label>
      )}
    </>
  );
}
