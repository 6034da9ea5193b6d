import { HttpError, type ErrorDetail } from '../http-error';
import type { Executor } from '../store/database';
import { unfinishedVersionsUsingApp, workflowsUsingApp, type AppUse } from './manage';

// What stops an uninstall: without the installation a published workflow's mini-app trigger never
// fires again and its action steps fail the run ("not installed"), so the admin is told which
// workflows to unpublish or change first (409), as when the manifest drops what they use or the
// app is deleted. Drafts may keep naming the app: publishing them says it is not installed (422).

const what = (use: Pick<AppUse, 'triggerKey' | 'actions'>) => [
  ...(use.triggerKey !== undefined ? [`trigger "${use.triggerKey}"`] : []),
  ...new Set(use.actions.map((a) => `action "${a.actionKey}"`)),
].join(', ');
const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/**
 * 409 `app_in_use` naming the published workflows that use the app (its trigger or an action),
 * and the earlier versions unfinished runs follow whose steps call its actions; nothing when none
 * does. Each workflow is also a detail (`workflows.<id>`), so the options page can link to it.
 */
export async function assertNotInUse(db: Executor, appId: string, appName: string): Promise<void> {
  const published = await workflowsUsingApp(db, appId, true);
  // Their trigger has fired already: only their action steps still need the app.
  const pending = (await unfinishedVersionsUsingApp(db, appId)).filter((v) => v.actions.length > 0);
  if (published.length === 0 && pending.length === 0) return;

  const parts: string[] = [];
  const details: ErrorDetail[] = [];
  if (published.length) {
    parts.push(`published workflows use it: ${published.map((u) => `"${u.name}" (${what(u)})`).join('; ')}. `
      + `Unpublish ${plural(published.length, 'that workflow', 'those workflows')} or remove the app from ${plural(published.length, 'it', 'them')} first.`);
    for (const u of published) details.push({ path: `workflows.${u.id}`, message: `"${u.name}" uses ${what(u)}` });
  }
  if (pending.length) {
    const list = pending.map((v) => `"${v.name}" version ${v.version} (${v.runs} ${plural(v.runs, 'run', 'runs')}; ${what({ ...v, triggerKey: undefined })})`);
    parts.push(`${published.length ? 'Unfinished' : 'unfinished'} runs follow earlier workflow versions that call its actions: ${list.join('; ')}. Let them finish or cancel them first.`);
    for (const v of pending) {
      if (!details.some((d) => d.path === `workflows.${v.id}`)) {
        details.push({ path: `workflows.${v.id}`, message: `"${v.name}" has unfinished runs that will call ${what({ ...v, triggerKey: undefined })}` });
      }
    }
  }
  throw new HttpError(409, 'app_in_use', `Cannot uninstall "${appName}": ${parts.join(' ')}`, details);
}
