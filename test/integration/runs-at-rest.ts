import { sql } from 'kysely';
import type { Services } from '../../server/services';
import type { Executor } from '../../server/store/database';
import { insertContact, insertRun, insertWorkflow, makeWorkflow } from '../support/builders';

// For the PostgreSQL suites that count a queue read's work with statistics taken at rest
// (claim-reads-at-rest, run-queue-reads-at-rest): autovacuum analyzed `runs` when every run had
// ended, so runs_unfinished looks empty to the planner while a burst's backlog waits in it.

/** The queued runs of one contact's burst: enough that a read filtering them all shows in blocks. */
export const BACKLOG = 3000;
/** The ended runs analyzed at rest before the burst. */
export const HISTORY = 600;

/**
 * `counted(read)`: `read`'s result and the blocks it read (as `blocksRead` counts them), in one
 * transaction of the services `services()` gives at the time of the call.
 */
export const blocksCounter = (services: () => Services, blocksRead: (trx: Executor) => Promise<number>) =>
  <T>(read: (trx: Executor) => Promise<T>) => services().db.transaction().execute(async (trx) => {
    const before = await blocksRead(trx);
    const result = await read(trx);
    return { result, blocks: (await blocksRead(trx)) - before };
  });

/** `count` queued runs of the workflow's contact, inserted in order in `trx`: their ids. */
export async function queuedRuns(trx: Executor, count: number, run: { workflowId: string; contactId: string }) {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) ids.push(await insertRun(trx, run));
  return ids;
}

/** A one-step workflow and Ada, with HISTORY ended runs of hers, then `runs` analyzed: the database at rest. */
export async function historyAtRest(services: Services) {
  const wf = await insertWorkflow(services.db, makeWorkflow({ steps: [{ id: 'a', type: 'add_comment', config: { text: 'hi' } }] }));
  const { contact: ada } = await insertContact(services);
  await services.db.transaction().execute(async (trx) => {
    const ids = await queuedRuns(trx, HISTORY, { workflowId: wf.id, contactId: ada.id });
    await trx.updateTable('runs').set({ status: 'completed', ended_at: new Date().toISOString() }).where('id', 'in', ids).execute();
  });
  await sql`ANALYZE runs`.execute(services.db);
  return { workflowId: wf.id, ada: ada.id };
}
