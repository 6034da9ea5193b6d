import { z } from 'zod';
import { SHORTCUT_UNAVAILABLE } from '../../../lib/contracts/shortcuts';
import { HttpError } from '../../http-error';
import type { Executor } from '../../store/database';

/** Enough of a stored definition to tell whether it was a shortcut and what the menu called it. */
const WasShortcut = z.object({ trigger: z.object({ type: z.literal('shortcut'), name: z.string() }) });
/** Versions read back looking for that name: an admin rarely edits a shortcut this often before taking it away. */
const VERSIONS_READ = 20;

/**
 * The 404 for a launch of something that is not a published shortcut, naming it as the agent's
 * menu did and saying why. A form left open while an admin unpublished its shortcut used to get
 * "Shortcut wf_01M… not found" and the advice to try again, which could never work.
 */
export async function shortcutUnavailable(db: Executor, workflowId: string): Promise<HttpError> {
  const row = await db.selectFrom('workflows').select(['name', 'status', 'trigger_type'])
    .where('id', '=', workflowId).executeTakeFirst();
  // Versions outlive a deleted workflow (runs in flight read them), so the name is still known.
  const versions = await db.selectFrom('workflow_versions').select('definition')
    .where('workflow_id', '=', workflowId).orderBy('version', 'desc').limit(VERSIONS_READ).execute();
  const name = versions.map((v) => shortcutName(v.definition)).find((n) => n !== null);
  if (!name) {
    return new HttpError(404, SHORTCUT_UNAVAILABLE, row ? `Workflow “${row.name}” is not a shortcut` : `There is no shortcut ${workflowId}`);
  }
  const why = !row ? 'deleted by an admin'
    : row.trigger_type !== 'shortcut' ? 'an admin changed how it starts'
      : 'unpublished by an admin';
  return new HttpError(404, SHORTCUT_UNAVAILABLE, `“${name}” is no longer available (${why})`);
}

function shortcutName(definition: string): string | null {
  try {
    const parsed = WasShortcut.safeParse(JSON.parse(definition));
    return parsed.success ? parsed.data.trigger.name : null;
  } catch {
    return null;
  }
}
