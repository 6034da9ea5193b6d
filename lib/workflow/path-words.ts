// Where a problem is, in the editor's words: the options page's error summaries and the server's
// messages that quote a definition's paths (an import refused) say `Step 1 › text`, not
// `steps.0.config.text`, which reads 0-based beside "Workflow 1 in the file".

// The draft's keys in the words the editor's labels use; `config` is an implementation detail.
const WORDS: Record<string, string> = {
  steps: 'Step', fields: 'Field', rules: 'Rule', branches: 'Branch', mappings: 'Variable', responseMappings: 'Response variable',
  headers: 'Header', options: 'Option', trigger: 'Trigger', name: 'name', left: 'variable', right: 'value', goTo: 'goes to',
  elseGoTo: 'otherwise go to', stepId: 'step', appId: 'app', actionKey: 'action', triggerKey: 'app trigger', adAccountId: 'ad account',
  adIds: 'ads', jsonKey: 'JSON key', variable: 'variable', timeoutMs: 'timeout', seconds: 'wait', userId: 'agent', workflowId: 'workflow',
};
const SILENT = new Set(['config', 'conditions', 'form', 'identifier', 'inputs']);

/**
 * `steps.2.config.url` -> `Step 3 › url`: where to look, in words. With the definition's step ids
 * (a message read away from the editor, which shows each step's card): `Step 3 (“call”) › url`.
 */
export function describePath(path: string, stepIds?: readonly string[]): string {
  if (!path) return 'Workflow';
  if (path === 'name') return 'Workflow name';
  return path.split('.').map((part, i, all) => {
    if (/^\d+$/.test(part) || SILENT.has(part)) return null;
    const next = all[i + 1];
    const n = next && /^\d+$/.test(next) ? ` ${Number(next) + 1}` : '';
    const id = i === 0 && part === 'steps' && n ? stepIds?.[Number(next)] : undefined;
    return `${WORDS[part] ?? part}${n}${id ? ` (“${id}”)` : ''}`;
  }).filter(Boolean).join(' \u203a ');
}
