import type { MessageAuthor } from '../../domain/conversations';
import { cachedVersionName, loadVersionName } from '../executor/definitions';
import type { StepContext } from './define';

export type WorkflowAuthor = MessageAuthor & { type: 'workflow'; id: string };

/**
 * The author of a message a step writes: the workflow, by id and by name (the name of the version
 * the run follows, stored with the message so the inbox says "Workflow: Order shipped" without a
 * lookup). The name comes from the run's version, cached when its steps were loaded: no query;
 * read through the step's database access only when that cache has let it go.
 */
export async function workflowAuthor(ctx: Pick<StepContext, 'run' | 'db'>): Promise<WorkflowAuthor> {
  const { workflowId, workflowVersion } = ctx.run;
  const cached = cachedVersionName(workflowId, workflowVersion);
  const name = cached !== undefined ? cached : await ctx.db((uow) => loadVersionName(uow.trx, workflowId, workflowVersion));
  return { type: 'workflow', id: workflowId, ...(name ? { name } : {}) };
}
