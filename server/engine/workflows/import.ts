import { WorkflowDefinition } from '../../../lib/contracts/workflow';
import {
  WorkflowFile, type ImportReference, type WorkflowFileReferences, type WorkflowImportBody, type WorkflowImportResult,
} from '../../../lib/contracts/workflow-file';
import { credentialGaps } from '../../../lib/workflow/credential-placeholders';
import { customFieldUses, idReferences, rewriteIds, type ReferenceKind } from '../../../lib/workflow/references';
import { listFields } from '../../domain/fields';
import { HttpError, issuesToDetails, unprocessable, type ErrorDetail } from '../../http-error';
import { newId } from '../../ids';
import type { Services } from '../../services';
import { fromJson, type Executor } from '../../store/database';
import { generateSigningSecret } from '../../signing/standard-webhooks';
import { readReplace, replaceCandidates, replaceWarnings, type ReplaceAs } from './import-replace';
import { publishProblems } from './publish-checks';
import { createDrafts } from './service';

// Workflows from a file (export.ts), made drafts here with this server's ids (or the newer
// versions of workflows here, import-replace.ts): users found by
// email, apps by key, workflows started by Trigger another workflow by name (or among the file's
// own), each one the admin chose otherwise. What has no match is said before anything is saved
// (422, or a dry run's `problem`), never left to fail at publish with an id from elsewhere.

export type Entry = { sourceId: string | null; definition: WorkflowDefinition; requireSignature?: boolean };
type Candidate = { id: string; name: string; detail?: string };
const KEY: Record<ReferenceKind, 'users' | 'apps' | 'workflows'> = { user: 'users', app: 'apps', workflow: 'workflows' };

/** The body's `file`: a workflow file, or a lone definition (as files were exported before). 422 naming each problem. */
function readFile(file: unknown): { entries: Entry[]; refs: WorkflowFileReferences } {
  const isFile = !!file && typeof file === 'object' && 'format' in file;
  const parsed = isFile ? WorkflowFile.safeParse(file) : WorkflowDefinition.safeParse(file);
  if (!parsed.success) {
    const details = issuesToDetails(parsed.error.issues, 'body.file');
    throw unprocessable(`This file is not a valid workflow: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
  }
  if (!isFile) return { entries: [{ sourceId: null, definition: parsed.data as WorkflowDefinition }], refs: { users: {}, apps: {}, workflows: {}, fields: {} } };
  const data = parsed.data as WorkflowFile;
  if (data.workflows.length === 0) throw unprocessable('The file holds no workflow', [{ path: 'body.file.workflows', message: 'The file holds no workflow' }]);
  return { entries: data.workflows.map((w) => ({ sourceId: w.id, definition: w.definition, requireSignature: w.requireSignature })), refs: data.references };
}

/** What the workspace has to match against, read once. */
async function readWorkspace(db: Executor) {
  const [users, apps, installed, workflows, fields] = await Promise.all([
    db.selectFrom('users').select(['id', 'name', 'email', 'deactivated_at']).orderBy('name').execute(),
    db.selectFrom('apps').select(['id', 'key', 'manifest']).orderBy('key').execute(),
    db.selectFrom('installations').select('app_id').execute(),
    db.selectFrom('workflows').select(['id', 'name', 'trigger_type', 'status', 'version', 'webhook_token', 'webhook_signing_secret']).orderBy('name').orderBy('id').execute(),
    listFields(db),
  ]);
  return {
    users: users.map((u) => ({ id: u.id, name: `${u.name} <${u.email}>`, email: u.email.toLowerCase(), active: !u.deactivated_at })),
    apps: apps.map((a) => ({ id: a.id, key: a.key, name: `${fromJson<{ name?: string }>(a.manifest, {}).name ?? a.key} (${a.key})`, installed: installed.some((i) => i.app_id === a.id) })),
    // Two of one name ("Fulfil order (sub)" as a draft and as published) differ by status, version and id.
    workflows: workflows.map((w) => ({
      id: w.id, name: w.name, manual: w.trigger_type === 'manual', detail: `${w.status}, version ${w.version}, ${w.id}`,
      status: w.status === 'published' ? 'published' as const : 'draft' as const, webhook: !!w.webhook_token, signed: !!w.webhook_signing_secret,
    })),
    fields,
  };
}
export type Workspace = Awaited<ReturnType<typeof readWorkspace>>;
type Here = Workspace['workflows'][number];

type Resolution = Pick<ImportReference, 'label' | 'match' | 'how' | 'problem' | 'candidates'>;

/** One id of the file: matched here, or why not and what may be chosen instead. */
function resolve(kind: ReferenceKind, ref: string, refs: WorkflowFileReferences, ws: Workspace, inFile: Map<string, Candidate>): Resolution {
  const candidate = (c: Candidate) => ({ id: c.id, name: c.name, ...(c.detail ? { detail: c.detail } : {}) });
  if (kind === 'user') {
    const said = refs.users[ref];
    const candidates = ws.users.filter((u) => u.active).map(candidate);
    const label = said ? `${said.name} <${said.email}>` : ref;
    const found = said ? ws.users.find((u) => u.email === said.email.toLowerCase()) : ws.users.find((u) => u.id === ref);
    if (found?.active) return { label, match: candidate(found), how: said ? 'email' : 'id', problem: null, candidates };
    const problem = found ? `${found.name} is deactivated here; pick someone else`
      : said ? `no user with email ${said.email} here; pick one` : `no user ${ref} here (the file does not say who it was); pick one`;
    return { label, match: null, how: null, problem, candidates };
  }
  if (kind === 'app') {
    const said = refs.apps[ref];
    const candidates = ws.apps.map(candidate);
    const label = said ? `${said.name} (${said.key})` : ref;
    const found = said ? ws.apps.find((a) => a.key === said.key) : ws.apps.find((a) => a.id === ref);
    if (found) return { label, match: candidate(found), how: said ? 'key' : 'id', problem: null, candidates };
    const problem = said ? `the app ${said.name} (key ${said.key}) is not registered here; register and install it, or pick another app`
      : `no app ${ref} here (the file does not say which app it was); pick one`;
    return { label, match: null, how: null, problem, candidates };
  }
  const own = inFile.get(ref);
  const said = refs.workflows[ref];
  const label = own?.name ?? said?.name ?? ref;
  const manual = ws.workflows.filter((w) => w.manual).map(candidate);
  if (own) return { label, match: own, how: 'file', problem: null, candidates: manual };
  if (!said) {
    const same = ws.workflows.find((w) => w.id === ref);
    return same ? { label, match: candidate(same), how: 'id', problem: null, candidates: manual }
      : { label, match: null, how: null, problem: `no workflow ${ref} here (the file does not say which it was); pick one`, candidates: manual };
  }
  const named = ws.workflows.filter((w) => w.name.toLowerCase() === said.name.toLowerCase());
  if (named.length === 1) return { label, match: candidate(named[0]!), how: 'name', problem: null, candidates: manual };
  return named.length > 1
    ? { label, match: null, how: null, problem: `${named.length} workflows here are named "${said.name}"; pick one`, candidates: named.map(candidate) }
    : { label, match: null, how: null, problem: `no workflow named "${said.name}" here; import it too, or pick one`, candidates: manual };
}

/** A choice the admin made: it must name something of that kind here. */
function chosen(kind: ReferenceKind, ref: string, id: string, ws: Workspace): Candidate {
  const pool: Candidate[] = kind === 'user' ? ws.users.filter((u) => u.active) : kind === 'app' ? ws.apps : ws.workflows;
  const found = pool.find((c) => c.id === id);
  if (!found) {
    throw new HttpError(422, 'invalid_content', `choices.${KEY[kind]}.${ref}: there is no ${kind === 'user' ? 'active user' : kind} ${id} here`,
      [{ path: `body.choices.${KEY[kind]}.${ref}`, message: `There is no ${kind === 'user' ? 'active user' : kind} ${id} here` }]);
  }
  return { id: found.id, name: found.name, ...(found.detail ? { detail: found.detail } : {}) };
}

/**
 * What needs doing before publishing: custom fields not defined here, apps not installed here,
 * credentials the file left out; and what the admin must pass on (a new signing secret). With
 * `target`, as the draft of that workflow.
 */
function warningsOf(entry: Entry, importedAs: string, refs: WorkflowFileReferences, ws: Workspace, matched: (kind: ReferenceKind, id: string) => string | undefined, target?: Here & { as: ReplaceAs; notLive?: ErrorDetail[] }): string[] {
  const def = entry.definition;
  const warnings: string[] = target ? replaceWarnings(entry, target, target.as, target.notLive) : [];
  if (importedAs !== def.name) warnings.push(`A workflow named "${def.name}" exists here: this one is imported as "${importedAs}" (rename or delete either afterwards)`);
  for (const key of new Set(customFieldUses(def).map((u) => u.key))) {
    if (ws.fields.some((f) => f.key === key)) continue;
    const said = refs.fields[key];
    warnings.push(`The contact field "${key}"${said ? ` (${said.label}, ${said.type}${said.options.length ? `: ${said.options.join(', ')}` : ''})` : ''} is not defined here: define it under Settings before publishing`);
  }
  for (const ref of idReferences(def).filter((r) => r.kind === 'app')) {
    const app = ws.apps.find((a) => a.id === matched('app', ref.id));
    if (app && !app.installed && !warnings.some((w) => w.includes(app.name))) warnings.push(`The app ${app.name} is not installed here: install it before publishing`);
  }
  for (const step of def.steps) for (const gap of credentialGaps(step)) warnings.push(`Step "${step.id}": ${gap.message}`);
  if (newSecretNeeded(entry, target)) {
    warnings.push('The webhook trigger accepted only signed deliveries where it was exported: it does here too, with a new signing secret made on import (shown in the trigger); give the sender that secret and this server\'s webhook URL, or its deliveries are refused (401)');
  }
  return warnings;
}

/** Signatures were required where it was exported, the file (rightly) holds no secret, and the workflow it replaces has none to keep. */
const newSecretNeeded = (e: Entry, target?: Here) => !!e.requireSignature && e.definition.trigger.type === 'incoming_webhook' && !e.definition.trigger.signingSecret && !target?.signed;

const MAX_NAME = 100;
/** `name`, or "Name (2)", "(3)"… while `taken` has it (any case); then taken. */
function freeName(name: string, taken: Set<string>): string {
  let here = name;
  for (let n = 2; taken.has(here.toLowerCase()); n++) here = `${name.slice(0, MAX_NAME - ` (${n})`.length)} (${n})`;
  taken.add(here.toLowerCase());
  return here;
}
const namesBut = (ws: Workspace, but: ReadonlySet<string>) => new Set(ws.workflows.filter((w) => !but.has(w.id)).map((w) => w.name.toLowerCase()));

/**
 * The name each workflow gets here: its own, or "Name (2)"… when this server or another workflow
 * of the file has it, so importing a file twice makes no two of one name. A workflow replacing
 * one here takes its place first (the name it replaces is not taken).
 */
function namesHere(entries: Entry[], ws: Workspace, targets: Map<number, Here>): string[] {
  const taken = namesBut(ws, new Set([...targets.values()].map((t) => t.id)));
  const names: string[] = new Array(entries.length);
  const order = entries.map((_, i) => i).sort((a, b) => Number(targets.has(b)) - Number(targets.has(a)));
  for (const i of order) names[i] = freeName(entries[i]!.definition.name, taken);
  return names;
}

/** The definition as saved here: its name here, and a new signing secret where one was required. */
function definitionHere(entry: Entry, name: string, matched: (kind: ReferenceKind, id: string) => string | undefined, target?: Here): WorkflowDefinition {
  const def = rewriteIds({ ...entry.definition, name }, matched);
  return newSecretNeeded(entry, target) && def.trigger.type === 'incoming_webhook' ? { ...def, trigger: { ...def.trigger, signingSecret: generateSigningSecret() } } : def;
}

export async function importWorkflows(services: Services, body: WorkflowImportBody): Promise<WorkflowImportResult> {
  const { entries, refs } = readFile(body.file);
  const ws = await readWorkspace(services.db);
  const targets = readReplace(body.replace, entries.length, ws);
  // Each workflow of the file gets its id here now (the one it replaces keeps its own), so the others can be pointed at it.
  const drafts = entries.map((e, i) => ({ ...e, id: targets.get(i)?.id ?? newId('wf') }));
  const inFile = new Map(drafts.flatMap((d) => (d.sourceId ? [[d.sourceId, { id: d.id, name: d.definition.name }] as const] : [])));

  const references: ImportReference[] = [];
  drafts.forEach((d, index) => {
    for (const use of idReferences(d.definition)) {
      let reference = references.find((r) => r.kind === use.kind && r.ref === use.id);
      if (!reference) {
        const choice = body.choices[KEY[use.kind]]?.[use.id];
        const found = resolve(use.kind, use.id, refs, ws, inFile);
        reference = choice ? { kind: use.kind, ref: use.id, ...found, match: chosen(use.kind, use.id, choice, ws), how: 'chosen', problem: null, usedBy: [] }
          : { kind: use.kind, ref: use.id, ...found, usedBy: [] };
        references.push(reference);
      }
      reference.usedBy.push({ workflow: d.definition.name, where: use.where, path: `file.workflows.${index}.definition.${use.path}` });
    }
  });
  const matched = (kind: ReferenceKind, id: string) => references.find((r) => r.kind === kind && r.ref === id)?.match?.id;
  const names = namesHere(drafts, ws, targets);
  const as = body.replaceAs;
  // A dry run says which published workflow would refuse this version (the import checks it again, in its transaction,
  // once the file's workflows are written: the dry run checks against them as they will be, so both say the same).
  const planned = new Map(drafts.map((d, i) => [d.id, {
    status: targets.get(i)?.status === 'published' && as !== 'draft' ? 'published' : 'draft', trigger_type: d.definition.trigger.type,
  }]));
  const notLive = async (d: Entry, target: Here, name: string) => (body.dryRun && target.status === 'published' && as !== 'draft'
    ? publishProblems(services.db, target.id, definitionHere(d, name, matched, target), planned) : []);
  const workflows = await Promise.all(drafts.map(async (d, i) => {
    const target = targets.get(i);
    // Each choice as it would be: replacing c, the workflow would take c's name's place.
    const replaceable = await Promise.all(replaceCandidates(d, ws).map(async ({ id, name, detail, status, how, ...c }) => {
      const here = { id, name, detail, status, ...c };
      const named = freeName(d.definition.name, namesBut(ws, new Set([id])));
      return { id, name, detail, status, how, warnings: warningsOf(d, named, refs, ws, matched, { ...here, as, notLive: await notLive(d, here, named) }) };
    }));
    return {
      name: d.definition.name, ...(names[i] !== d.definition.name ? { importedAs: names[i]! } : {}),
      warnings: warningsOf(d, names[i]!, refs, ws, matched, target && { ...target, as, notLive: await notLive(d, target, names[i]!) }),
      replaceable, ...(target ? { replaces: { id: target.id, name: target.name, detail: target.detail } } : {}),
    };
  }));
  if (body.dryRun) return { references, workflows, created: [], replaced: [] };

  const unresolved = references.filter((r) => !r.match);
  if (unresolved.length) {
    const details: ErrorDetail[] = unresolved.flatMap((r) => r.usedBy.map((u) => ({ path: `body.${u.path}`, message: `"${u.workflow}", ${u.where}: ${r.problem}` })));
    throw new HttpError(422, 'unresolved_references',
      `Nothing was imported: ${details.length} ${details.length === 1 ? 'reference has' : 'references have'} no match here (choose one in \`choices\`, or try with dryRun for the candidates): ${details.map((d) => d.message).join('; ')}`,
      details);
  }
  const saved = await createDrafts(services, drafts.map((d, i) => ({ id: d.id, definition: definitionHere(d, names[i]!, matched, targets.get(i)), replaces: targets.has(i) })), as);
  return {
    references, workflows,
    created: saved.flatMap(({ workflow: w, unpublished }) => (unpublished === undefined ? [{ id: w.id, name: w.name }] : [])),
    replaced: saved.flatMap(({ workflow: w, unpublished }) => (unpublished === undefined ? [] : [{ id: w.id, name: w.name, status: w.status, unpublished }])),
  };
}
