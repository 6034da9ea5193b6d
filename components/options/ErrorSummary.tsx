import { describePath } from '../../lib/workflow/path-words';
import type { ErrorMap } from './error-paths';

// The words are shared with the server's messages that quote a definition's paths (path-words.ts).
export { describePath };

interface Props {
  title: string; errors: ErrorMap; tone?: 'error' | 'warn';
  /** A form whose paths are not a workflow's (the import's `replace.0`): its own words for them. */
  describe?: (path: string) => string;
}

/** Every problem in one list as well as on its field: nothing the server said gets lost. */
export function ErrorSummary({ title, errors, tone = 'error', describe = describePath }: Props) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div className={`summary ${tone}`} role={tone === 'error' ? 'alert' : 'status'} tabIndex={-1}>
      <strong>{title}</strong>
      <ul>
        {entries.map(([path, message]) => <li key={path}><span className="muted">{describe(path)}:</span> {message}</li>)}
      </ul>
    </div>
  );
}
