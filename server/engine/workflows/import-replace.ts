import type { ReplaceCandidate, WorkflowImportBody } from '../../../lib/contracts/workflow-file';
import { describePath } from '../../../lib/workflow/path-words';
import { HttpError, type ErrorDetail } from '../../http-error';
import type { Entry, Workspace } from './import';

// An import that replaces workflows instead of adding more (n8n: importing a workflow of the same
// id offers to replace it): the newer version becomes that workflow's, so the senders pointing at
// its webhook URL, the workflows and apps starting it by id, and its run history all stay with it.
// A published one stays published, as an edit in the editor is live at once: a shop's webhook
// keeps being answered (Shopify turns a subscription off after failed deliveries), so the version
// must pass the publish checks, unless the admin asks for a draft (`replaceAs`). Never the
// default: the admin chooses it per workflow.

export type ReplaceAs = WorkflowImportBody['replaceAs'];

type Here = Workspace['workflows'][number];

/** The workflow the file's one was exported from (a file from this server), else those of its name. */
export function replaceCandidates(entry: Entry, ws: Workspace): (Here & { how: ReplaceCandidate['how'] })[] {
  const same = entry.sourceId ? ws.workflows.find((w) => w.id === entry.sourceId) : undefined;
  if (same) return [{ ...same, how: 'id' }];
  const name = entry.definition.name.toLowerCase();
  return ws.workflows.filter((w) => w.name.toLowerCase() === name).map((w) => ({ ...w, how: 'name' }));
}

/**
 * The body's `replace` (place in the file → workflow here), checked before anything is saved: each
 * place is one of the file's workflows, each target a workflow here (not one deleted since the
 * review, nor another server's), none replaced twice. 422 naming the entry.
 */
export function readReplace(replace: Record<string, string>, count: number, ws: Workspace): Map<number, Here> {
  const targets = new Map<number, Here>();
  const refuse = (place: string, message: string): never => {
    throw new HttpError(422, 'invalid_content', `replace.${place}: ${message}`, [{ path: `body.replace.${place}`, message }]);
  };
  for (const [place, id] of Object.entries(replace)) {
    const index = Number(place);
    if (index >= count) refuse(place, `The file holds ${count} workflow${count === 1 ? '' : 's'}: there is no workflow ${index} in it`);
    const target = ws.workflows.find((w) => w.id === id);
    if (!target) refuse(place, `There is no workflow ${id} here (deleted since, or another server's): review the import again`);
    const twice = [...targets].find(([, t]) => t.id === id);
    if (twice) refuse(place, `Workflow ${twice[0]} of the file replaces "${target!.name}" already: a workflow is replaced by one only`);
    targets.set(index, target!);
  }
  return targets;
}

/**
 * What replacing `target` changes that the admin must know. `notLive`: what stops this version
 * from going live in a published target (publish-checks.ts), which would refuse the import.
 */
export function replaceWarnings(entry: Entry, target: Here, replaceAs: ReplaceAs, notLive: readonly ErrorDetail[] = []): string[] {
  const warnings: string[] = [];
  const webhook = entry.definition.trigger.type === 'incoming_webhook';
  if (target.webhook && !webhook) warnings.push(`"${target.name}" has a webhook URL: this version's trigger is not a webhook, so that URL stops taking deliveries`);
  if (target.status !== 'published') return warnings;
  if (replaceAs === 'draft') {
    warnings.push(`"${target.name}" is published: replacing it as a draft leaves nothing starting it${target.webhook && webhook ? ' (its webhook URL refuses deliveries)' : ''} until you publish it again`);
  } else if (notLive.length) {
    warnings.push(`"${target.name}" is published and stays published, but this version cannot go live, so the import would be refused: ${problemsSaid(notLive, entry.definition.steps)}. Fix that first, or replace it as a draft`);
  } else {
    warnings.push(`"${target.name}" is published and stays published: this version is live once imported${target.webhook && webhook ? ' (its webhook URL runs it)' : ''}; runs already started finish on the version they began with`);
  }
  return warnings;
}

/**
 * 422 when replaced workflows that stay published hold a version that cannot go live: per place in
 * the file, what to fix (the transaction rolls back: nothing is imported).
 */
export function refuseNotLive(failures: { place: number; name: string; problems: ErrorDetail[]; steps: readonly { id: string }[] }[]): never {
  const details: ErrorDetail[] = failures.map((f) => ({
    path: `body.replace.${f.place}`,
    message: `"${f.name}" is published and stays published with the file's version, which cannot go live: ${problemsSaid(f.problems, f.steps)}. Fix the file or this server, or replace it as a draft (replaceAs: "draft")`,
  }));
  throw new HttpError(422, 'invalid_content', `Nothing was imported: ${details.map((d) => d.message).join(' ')}`, details);
}

/**
 * The publish problems of a file's workflow, where each is as the editor says it ("Step 1 (“greet”)
 * › text"): the page shows the message after "Workflow 1 in the file", so a 0-based
 * `steps.0.config.text` beside it read as another step. The details keep the API's paths.
 */
const problemsSaid = (problems: readonly ErrorDetail[], steps: readonly { id: string }[]) =>
  problems.map((p) => `${describePath(p.path, steps.map((s) => s.id))}: ${p.message}`).join('; ');
