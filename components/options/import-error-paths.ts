import { describePath } from './ErrorSummary';

// The import's 422s and the page's own check of the file name places in the request
// (`replace.0`, `file.workflows.1.definition.steps.0.config.url`, `choices.users.u_1`): said as
// the admin sees the file and the review ("Workflow 2 in the file › Step 1 › url"), not "replace 1".

const KINDS: Record<string, string> = { users: 'user', apps: 'app', workflows: 'workflow' };
const isPlace = (part: string | undefined): part is string => part !== undefined && /^\d+$/.test(part);

/** The file's workflow at `place`, then where in it in the editor's words (its name stays "name"). */
function inWorkflow(place: string, rest: string[]): string {
  const head = `Workflow ${Number(place) + 1} in the file`;
  if (rest.length === 0) return head;
  return `${head} \u203a ${rest.join('.') === 'name' ? 'name' : describePath(rest.join('.'))}`;
}

/** `replace.0` -> `Workflow 1 in the file`; a lone definition's paths as the editor says them. */
export function describeImportPath(path: string): string {
  const parts = path ? path.split('.') : [];
  if (parts[0] === 'replace' && isPlace(parts[1])) return inWorkflow(parts[1], parts.slice(2));
  if (parts[0] === 'choices' && parts[1]) return `The ${KINDS[parts[1]] ?? parts[1]} chosen${parts[2] ? ` for ${parts.slice(2).join('.')}` : ''}`;
  // The server's paths into the file start with `file`; the page's own check reads the file itself.
  const file = parts[0] === 'file' ? parts.slice(1) : parts;
  if (file.length === 0) return 'The file';
  if (file[0] === 'workflows') {
    if (!isPlace(file[1])) return 'The file\u2019s workflows';
    const rest = file.slice(2);
    return inWorkflow(file[1], rest[0] === 'definition' ? rest.slice(1) : rest);
  }
  // A lone definition (one workflow's file): its paths are the editor's.
  return describePath(file.join('.'));
}
