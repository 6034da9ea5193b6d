import type { z } from 'zod';
import type { FieldSaved } from '../../lib/contracts/contacts';

type Saved = z.infer<typeof FieldSaved>;

/**
 * After a field's type or options changed: the published workflows using it that now fail on it
 * (PUT /fields/:key's brokenWorkflows), each with what to fix and a link to open it.
 */
export function BrokenWorkflowsNotice({ saved }: { saved: Saved | undefined }) {
  if (!saved || saved.brokenWorkflows.length === 0) return null;
  return (
    <div className="notice warn" role="alert" aria-label="Published workflows this change breaks">
      <strong>“{saved.label}” is saved as {saved.type}. These published workflows use it in a way it no longer takes; their runs will fail there until you change or unpublish them:</strong>
      <ul>
        {saved.brokenWorkflows.map((w) => (
          <li key={w.id}>
            <a href={`#/workflows/${encodeURIComponent(w.id)}`}>{w.name}</a>: {w.problems.join('; ')}
          </li>
        ))}
      </ul>
    </div>
  );
}
