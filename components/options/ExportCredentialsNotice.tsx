import { useId } from 'react';
import type { WorkflowFile } from '../../lib/contracts/workflow-file';
import { STEP_LABELS } from './step-defaults';

type LeftOut = NonNullable<WorkflowFile['credentialsLeftOut']>[number];

// Which part of the HTTP step held it (`steps.0.config.headers.1.value`): the admin looks for the
// credential there after importing.
const PARTS: Record<string, string> = { url: 'URL', headers: 'header', body: 'body' };
const partOf = (c: LeftOut) => PARTS[c.path.split('.')[3] ?? ''];
const named = (c: LeftOut) => (partOf(c) ? `${c.what} (${partOf(c)})` : c.what);

/** The file's workflows and steps whose credentials it left out, in the file's order. */
export function leftOutByStep(file: WorkflowFile) {
  const left = file.credentialsLeftOut ?? [];
  return file.workflows.flatMap((w) => {
    const steps = w.definition.steps.flatMap((s, i) => {
      const here = left.filter((c) => c.workflowId === w.id && c.stepId === s.id);
      return here.length ? [{ key: s.id, label: `step ${i + 1}, ${STEP_LABELS[s.type]} (${s.id})`, what: here.map(named) }] : [];
    });
    return steps.length ? [{ key: w.id, name: w.definition.name, steps }] : [];
  });
}

/**
 * After an export: the credentials the file does not hold (HTTP steps' auth headers, keys, URLs
 * that are themselves secrets), which the admin must type again once it is imported; n8n says the
 * same of the credentials its exports leave out. Publishing refuses a workflow until they are.
 */
export function ExportCredentialsNotice({ file, onDismiss }: { file: WorkflowFile; onDismiss(): void }) {
  const titleId = useId();
  const workflows = leftOutByStep(file);
  if (workflows.length === 0) return null;
  return (
    <section className="summary warn" role="status" aria-labelledby={titleId}>
      <strong id={titleId}>The exported file leaves credentials out: type them again after importing it</strong>
      <p className="hint">
        Each one is a {'{{credential: …}}'} placeholder in the file; a workflow imported from it cannot be published until
        every placeholder of its steps is replaced with the real value.
      </p>
      <ul>
        {workflows.flatMap((w) => w.steps.map((s) => (
          <li key={`${w.key} ${s.key}`}>“{w.name}”, {s.label}: {s.what.join(', ')}</li>
        )))}
      </ul>
      <button type="button" className="link" onClick={onDismiss}>Dismiss</button>
    </section>
  );
}
