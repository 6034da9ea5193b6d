import { z } from 'zod';
import { Step } from '../../../lib/contracts/steps';
import type { Executor } from '../../store/database';

const VersionSteps = z.object({ steps: z.array(Step), name: z.string().optional() });
export type VersionSteps = Step[];

interface Version { steps: Step[]; name: string | null }

/** A version that is missing or cannot be read (not a database error). */
class VersionProblem extends Error {}

// A version never changes once written, so its parsed steps (and its name) are kept for the life of the process.
const cache = new Map<string, Version>();
const MAX_CACHED = 2_000;

async function loadVersion(db: Executor, workflowId: string, version: number): Promise<Version> {
  const key = `${workflowId}@${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const row = await db.selectFrom('workflow_versions').select('definition')
    .where('workflow_id', '=', workflowId).where('version', '=', version).executeTakeFirst();
  if (!row) throw new VersionProblem(`Version ${version} of workflow ${workflowId} does not exist`);
  let json: unknown;
  try { json = JSON.parse(row.definition); } catch { throw new VersionProblem(`Version ${version} of workflow ${workflowId} is not valid JSON`); }
  const parsed = VersionSteps.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new VersionProblem(`Version ${version} of workflow ${workflowId} has invalid steps: ${first?.path.join('.')}: ${first?.message}`);
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  const loaded = { steps: parsed.data.steps, name: parsed.data.name ?? null };
  cache.set(key, loaded);
  return loaded;
}

/** The steps of one workflow version (what a run executes), parsed with the step schemas (defaults filled). */
export async function loadVersionSteps(db: Executor, workflowId: string, version: number): Promise<Step[]> {
  return (await loadVersion(db, workflowId, version)).steps;
}

/**
 * The workflow's name in that version (what its messages are signed with), without a query when
 * the version is cached: it is, for a run whose steps were just loaded. Undefined when not cached.
 */
export function cachedVersionName(workflowId: string, version: number): string | null | undefined {
  return cache.get(`${workflowId}@${version}`)?.name;
}

/** The workflow's name in that version, read when it is not cached. */
export async function loadVersionName(db: Executor, workflowId: string, version: number): Promise<string | null> {
  try {
    return (await loadVersion(db, workflowId, version)).name;
  } catch (err) {
    if (err instanceof VersionProblem) return null;
    throw err;
  }
}
