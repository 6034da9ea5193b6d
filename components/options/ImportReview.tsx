import { useId, useState } from 'react';
import type { ImportReference, WorkflowImportBody, WorkflowImportResult } from '../../lib/contracts/workflow-file';
import { ImportReplaceChoices } from './ImportReplaceChoices';
import type { ImportChoices, ImportReplace } from './use-workflow-import';
import { byReaderName } from './reader-order';

const KIND: Record<ImportReference['kind'], string> = { user: 'User', app: 'App', workflow: 'Workflow' };
const CHOICE_KEY: Record<ImportReference['kind'], keyof ImportChoices> = { user: 'users', app: 'apps', workflow: 'workflows' };
const HOW: Record<NonNullable<ImportReference['how']>, string> = {
  email: 'by email', key: 'by app key', name: 'by name', id: 'same id', file: 'imported with it', chosen: 'chosen',
};
const keyOf = (r: ImportReference) => `${r.kind}:${r.ref}`;
const usedBy = (r: ImportReference) => r.usedBy.map((u) => `“${u.workflow}” (${u.where})`).join(', ');

interface Props {
  plan: WorkflowImportResult;
  busy: boolean;
  /** What replaced workflows are afterwards; the plan's warnings were made for it (onReplaceAs asks again). */
  replaceAs: WorkflowImportBody['replaceAs'];
  onReplaceAs(as: WorkflowImportBody['replaceAs']): void;
  onImport(choices: ImportChoices, replace: ImportReplace): void;
  onCancel(): void;
}

/**
 * What a file's workflows need on this server, before any is saved: a pick for each user, app or
 * workflow with no match here, whether each one already here is made anew or replaced, and, per
 * workflow, what to set up before publishing (as the choice made leaves it).
 */
export function ImportReview({ plan, busy, replaceAs, onReplaceAs, onImport, onCancel }: Props) {
  const heading = useId();
  const [picked, setPicked] = useState<Record<string, string>>({});
  const [replacing, setReplacing] = useState<Record<number, string>>({});
  const open = plan.references.filter((r) => !r.match);
  const matched = plan.references.filter((r) => r.match);
  const toDo = plan.workflows
    .map((w, i) => ({ name: w.name, warnings: w.replaceable?.find((c) => c.id === replacing[i])?.warnings ?? w.warnings }))
    .filter((w) => w.warnings.length > 0);
  const ready = open.every((r) => picked[keyOf(r)]);
  const choices = (): ImportChoices => {
    const out: ImportChoices = {};
    for (const r of open) (out[CHOICE_KEY[r.kind]] ??= {})[r.ref] = picked[keyOf(r)]!;
    return out;
  };
  const replace = (): ImportReplace => Object.fromEntries(Object.entries(replacing).filter(([, id]) => id));
  const count = plan.workflows.length;
  // Not all drafts: a published workflow replaced stays live.
  const live = replaceAs !== 'draft' && plan.workflows.some((w, i) => w.replaceable?.find((c) => c.id === replacing[i])?.status === 'published');
  return (
    <section className="summary warn import-review" aria-labelledby={heading}>
      <h3 id={heading}>Importing {count} {count === 1 ? 'workflow' : 'workflows'}: check this first</h3>
      {open.length > 0 && (
        <>
          <p>No match on this server for these: pick one for each (or cancel, set them up here, and import again).</p>
          <ul className="import-choices">
            {open.map((r) => (
              <li key={keyOf(r)}>
                <label>
                  <span>{KIND[r.kind]} {r.label}: {r.problem}</span>
                  <select value={picked[keyOf(r)] ?? ''} disabled={r.candidates.length === 0}
                    onChange={(e) => setPicked({ ...picked, [keyOf(r)]: e.target.value })}>
                    <option value="">{r.candidates.length ? 'Pick one…' : 'Nothing to pick here'}</option>
                    {[...r.candidates].sort(byReaderName).map((c) => <option key={c.id} value={c.id}>{c.detail ? `${c.name} (${c.detail})` : c.name}</option>)}
                  </select>
                </label>
                <span className="muted"> Used by {usedBy(r)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <ImportReplaceChoices workflows={plan.workflows} replacing={replacing} replaceAs={replaceAs} onReplaceAs={onReplaceAs}
        onChange={(i, id) => setReplacing(({ [i]: _, ...rest }) => (id ? { ...rest, [i]: id } : rest))} />
      {toDo.length > 0 && (
        <>
          <h4>Before publishing</h4>
          <ul>
            {toDo.map((w, i) => (
              <li key={i}>“{w.name}”:{' '}
                <ul>{w.warnings.map((warning) => <li key={warning}>{warning}</li>)}</ul>
              </li>
            ))}
          </ul>
        </>
      )}
      {matched.length > 0 && (
        <details>
          <summary>Matched on this server ({matched.length})</summary>
          <ul>{matched.map((r) => <li key={keyOf(r)}>{KIND[r.kind]} {r.label} → {r.match!.name}{r.match!.detail ? ` (${r.match!.detail})` : ''} ({HOW[r.how ?? 'id']})</li>)}</ul>
        </details>
      )}
      <p className="row">
        <button type="button" className="primary" disabled={!ready || busy} onClick={() => onImport(choices(), replace())}>
          {busy ? 'Importing…' : live ? 'Import and replace' : 'Import as drafts'}
        </button>
        <button type="button" onClick={onCancel} disabled={busy}>Cancel</button>
      </p>
    </section>
  );
}
