import type { ErrorMap } from './error-paths';

/** `steps.2.config.url` -> `Step 3 › config › url`: where to look, in words. */
export function describePath(path: string): string {
  if (!path) return 'Workflow';
  return path.split('.').map((part, i, all) => {
    if (/^\d+$/.test(part)) return null;
    const next = all[i + 1];
    const n = next && /^\d+$/.test(next) ? ` ${Number(next) + 1}` : '';
    const word = part === 'steps' ? 'Step' : part === 'fields' ? 'Field' : part === 'rules' ? 'Rule' : part === 'branches' ? 'Branch' : part === 'mappings' ? 'Variable' : part;
    return `${word}${n}`;
  }).filter(Boolean).join(' › ');
}

interface Props { title: string; errors: ErrorMap; tone?: 'error' | 'warn' }

/** Every problem in one list as well as on its field: nothing the server said gets lost. */
export function ErrorSummary({ title, errors, tone = 'error' }: Props) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div className={`summary ${tone}`} role={tone === 'error' ? 'alert' : 'status'} tabIndex={-1}>
      <strong>{title}</strong>
      <ul>
        {entries.map(([path, message]) => <li key={path}><span className="muted">{describePath(path)}:</span> {message}</li>)}
      </ul>
    </div>
  );
}
