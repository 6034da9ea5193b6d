import { useId } from 'react';
import type { WorkflowImportResult } from '../../lib/contracts/workflow-file';

type Planned = WorkflowImportResult['workflows'][number];

interface Props {
  workflows: Planned[];
  /** Place in the file → id of the workflow here it replaces; absent: a new one. */
  replacing: Record<number, string>;
  onChange(index: number, id: string | undefined): void;
}

/**
 * Per workflow of the file that is here already (by the id it was exported with, else by name):
 * a new one, as before (its own id and webhook URL), or the one here replaced, which keeps its
 * id, webhook URL and run history and gets the file's version as its draft.
 */
export function ImportReplaceChoices({ workflows, replacing, onChange }: Props) {
  const group = useId();
  const here = workflows.flatMap((w, i) => (w.replaceable?.length ? [{ w, i, candidates: w.replaceable }] : []));
  if (here.length === 0) return null;
  return (
    <>
      <h4>Already on this server</h4>
      <p>Replacing keeps the workflow’s id, webhook URL and run history; the file’s version becomes its draft, live once you publish it.</p>
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
    </>
  );
}
