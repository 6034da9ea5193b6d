import { z } from 'zod';
import { Step } from '../../../lib/contracts/steps';
import type { Executor } from '../../store/database';

const VersionSteps = z.object({ steps: z.array(Step) });
export type VersionSteps = Step[];

// A version never changes once written, so its parsed steps are kept for the life of the process.
const cache = new Map<string, Step[]>();
const MAX_CACHED = 2_000;

/** The steps of one workflow version (what a run executes), parsed with the step schemas (defaults filled). */
export async function loadVersionSteps(db: Executor, workflowId: string, version: number): Promise<Step[]> {
  const key = `${workflowId}@${version}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const row = await db.selectFrom('workflow_versions').select('definition')
    .where('workflow_id', '=', workflowId).where('version', '=', version).executeTakeFirst();
  if (!row) throw new Error(`Version ${version} of workflow ${workflowId} does not exist`);
  let json: unknown;
  try { json = JSON.parse(row.definition); } catch { throw new Error(`Version ${version} of workflow ${workflowId} is not valid JSON`); }
  const parsed = VersionSteps.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(`Version ${version} of workflow ${workflowId} has invalid steps: ${first?.path.join('.')}: ${first?.message}`);
  }
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, parsed.data.steps);
  return parsed.data.steps;
}
