import type { ErrorMap } from './error-paths';

// The draft's keys in the words the editor's labels use; `config` is an implementation detail.
const WORDS: Record<string, string> = {
  steps: 'Step', fields: 'Field', rules: 'Rule', branches: 'Branch', mappings: 'Variable', responseMappings: 'Response variable',
  headers: 'Header', options: 'Option', trigger: 'Trigger', name: 'name', left: 'variable', right: 'value', goTo: 'goes to',
  elseGoTo: 'otherwise go to', stepId: 'step', appId: 'app', actionKey: 'action', triggerKey: 'app trigger', adAccountId: 'ad account',
  adIds: 'ads', jsonKey: 'JSON key', variable: 'variable', timeoutMs: 'timeout', seconds: 'wait', userId: 'agent', workflowId: 'workflow',
};
const SILENT = new Set(['config', 'conditions', 'form', 'identifier', 'inputs']);

/** `steps.2.config.url` -> `Step 3 > url`: where to look, in words. */
export function describePath(path: string): string {
  if (!path) return 'Workflow';
  if (path === 'name') return 'Workflow name';
  return path.split('.').map((part, i, all) => {
    if (/^\d+$/.test(part) || SILENT.has(part)) return null;
    const next = all[i + 1];
    const n = next && /^\d+$/.test(next) ? ` ${Number(next) + 1}` : '';
    return `${WORDS[part] ?? part}${n}`;
  }).filter(Boolean).join(' \u203a ');
}

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
