import type { Step } from '../../lib/contracts/steps';
import { conflict } from '../http-error';
import { fromJson, type Executor } from '../store/database';
import { getLifecycleStages, LIFECYCLE_SETTING } from './contacts';
import { setSetting } from './settings';

/**
 * Replaces the ordered stages. A stage a published workflow moves contacts to (Update lifecycle
 * stage step) or watches cannot go away: 409 naming the workflows. Contacts already in a removed
 * stage keep it until moved (their history is not rewritten).
 */
export async function setLifecycleStages(db: Executor, stages: string[]) {
  const { stages: before } = await getLifecycleStages(db);
  const removed = new Set(before.filter((s) => !stages.includes(s)));
  if (removed.size > 0) {
    const rows = await db.selectFrom('workflows').select(['id', 'name', 'definition']).where('status', '=', 'published').execute();
    const users = rows.flatMap((r) => {
      const steps = fromJson<{ steps?: Step[] }>(r.definition, {}).steps ?? [];
      const used = [...new Set(steps.flatMap((s) => (s.type === 'update_lifecycle_stage' && removed.has(s.config.stage) ? [s.config.stage] : [])))];
      return used.length > 0 ? [`"${r.name}" (${r.id}) uses ${used.map((s) => `"${s}"`).join(', ')}`] : [];
    });
    if (users.length > 0) throw conflict(`These stages are used by published workflows; change those steps first: ${users.join('; ')}`);
  }
  await setSetting(db, LIFECYCLE_SETTING, stages);
  return getLifecycleStages(db);
}
