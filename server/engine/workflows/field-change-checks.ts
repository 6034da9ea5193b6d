import type { z } from 'zod';
import type { BrokenWorkflow, FieldDefinition } from '../../../lib/contracts/contacts';
import { fromJson, type Executor } from '../../store/database';
import { publishProblems } from './publish-checks';
import { fieldUses, type LooseDefinition } from './uses';

type Broken = z.infer<typeof BrokenWorkflow>;

/**
 * Saves a field's definition with `save` and names the published workflows using it that the
 * change breaks: the publish check of each, before and after, and what it newly refuses (a
 * free-text question now saving to a number field, a literal value no longer one of a list's
 * options). They stay published: a change the admin means to make is not blocked, it is said.
 */
export async function savingFieldChecked(
  db: Executor, before: FieldDefinition | undefined, after: FieldDefinition, save: () => Promise<FieldDefinition>,
): Promise<{ field: FieldDefinition; brokenWorkflows: Broken[] }> {
  const changed = before !== undefined && (before.type !== after.type || before.options.join('\n') !== after.options.join('\n'));
  if (!changed) return { field: await save(), brokenWorkflows: [] };
  const rows = await db.selectFrom('workflows').select(['id', 'name', 'definition'])
    .where('status', '=', 'published').orderBy('name').orderBy('id').execute();
  const using = rows.filter((r) => fieldUses(fromJson<LooseDefinition>(r.definition, {}), after.key).length > 0);
  const problemsOf = async (r: (typeof using)[number]) =>
    (await publishProblems(db, r.id, fromJson<unknown>(r.definition, {}))).map((p) => p.message);
  const earlier = await Promise.all(using.map(problemsOf));
  const field = await save();
  const brokenWorkflows: Broken[] = [];
  for (const [i, r] of using.entries()) {
    const known = new Set(earlier[i]);
    const problems = (await problemsOf(r)).filter((m) => !known.has(m));
    if (problems.length > 0) brokenWorkflows.push({ id: r.id, name: r.name, problems });
  }
  return { field, brokenWorkflows };
}
