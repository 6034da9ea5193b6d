import { sql } from 'kysely';
import { MIN_MASKED } from '../outbound/mask';
import type { Db } from '../store/database';
import { httpStepCredentials } from './http-step-credentials';
import { stepsOf, versionKey } from '../engine/workflows/rerun-saved';

// The credentials written into each workflow's HTTP steps, by workflow: a run shows those of its
// own workflow masked, no other workflow's (n8n hides a credential's value where it was used). A
// draft's `X-Api-Key: help` is then no reason to garble "help" in every other workflow's runs.
// Every saved version counts (each save writes one, drafts too): a stored run ran the version it
// started with, with the key written there then.
//
// Kept per database and per workflow: a version never changes once written, so each is parsed
// once; a save adds a version and bumps its workflow's `version`, so a read after it parses that
// workflow's new version alone (not every definition again). One aggregate row tells whether
// anything was saved since the last read.

interface Held {
  /** count, sum(version) and max(updated_at) of `workflows` when `byWorkflow` was made. */
  stamp: string;
  /** Each workflow's `version` as last read. */
  versions: Map<string, number>;
  /** Versions parsed so far, by `<workflow id>@<version>`. */
  parsed: Set<string>;
  /** Each workflow's credentials, longest first (a new array when one is added: finders are cached per array). */
  byWorkflow: Map<string, readonly string[]>;
}

const held = new WeakMap<Db, Held>();
const building = new WeakMap<Db, Promise<ReadonlyMap<string, readonly string[]>>>();
/** Workflow ids per query: well under SQLite's 999 parameters of older builds and its expression depth. */
const CHUNK = 400;

const json = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? String(x) : x));

async function stampOf(db: Db): Promise<string> {
  const { rows } = await sql<Record<string, unknown>>`select count(*) as n, coalesce(sum(version), 0) as v, max(updated_at) as u from workflows`.execute(db);
  return json(rows[0]);
}

/** Saved versions with an HTTP step: of every workflow (no term per workflow), or of `ids`, a chunk at a time. */
async function versionsWithHttpSteps(db: Db, ids: readonly string[] | undefined) {
  const base = () => db.selectFrom('workflow_versions').select(['workflow_id', 'version', 'definition']).where('definition', 'like', '%"http_request"%');
  if (!ids) return base().execute();
  const rows = [];
  for (let i = 0; i < ids.length; i += CHUNK) rows.push(...await base().where('workflow_id', 'in', ids.slice(i, i + CHUNK)).execute());
  return rows;
}

const kept = (s: string) => s.trim().length >= MIN_MASKED && s !== 'forgotten';

async function build(db: Db): Promise<ReadonlyMap<string, readonly string[]>> {
  const stamp = await stampOf(db);
  const was = held.get(db);
  if (was && was.stamp === stamp) return was.byWorkflow;
  const state: Held = was ?? { stamp: '', versions: new Map(), parsed: new Set(), byWorkflow: new Map() };
  const now = await db.selectFrom('workflows').select(['id', 'version']).execute();
  const changed = now.filter((w) => state.versions.get(w.id) !== w.version).map((w) => w.id);
  const rows = changed.length === 0 ? [] : await versionsWithHttpSteps(db, was ? changed : undefined);
  const added = new Map<string, string[]>();
  const parsed: string[] = [];
  for (const row of rows) {
    const key = versionKey(row.workflow_id, row.version);
    if (state.parsed.has(key)) continue;
    parsed.push(key);
    const found = httpStepCredentials(stepsOf(row.definition)).filter(kept);
    if (found.length) added.set(row.workflow_id, [...(added.get(row.workflow_id) ?? []), ...found]);
  }
  for (const [id, found] of added) {
    // Longest first: a token inside a longer value is masked with it (mask.ts merges overlaps anyway).
    state.byWorkflow.set(id, [...new Set([...(state.byWorkflow.get(id) ?? []), ...found])].sort((a, b) => b.length - a.length));
  }
  // Changed only once everything was read: a build that fails half-way leaves the last one whole.
  for (const key of parsed) state.parsed.add(key);
  // A deleted workflow's entry stays: its stored runs, if any are kept, still quote what it held.
  for (const w of now) state.versions.set(w.id, w.version);
  state.stamp = stamp;
  held.set(db, state);
  return state.byWorkflow;
}

/** Each workflow's HTTP step credentials in the clear (a workflow without any has no entry). */
export function httpStepSecrets(db: Db): Promise<ReadonlyMap<string, readonly string[]>> {
  // Concurrent reads share one build: each would otherwise parse the same versions.
  const running = building.get(db);
  if (running) return running;
  const made = build(db).finally(() => building.delete(db));
  building.set(db, made);
  return made;
}
