import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { FailedRunCount, FailedRunCountQuery, RetryNowResult, RunHistoryWorkflows, RunListQuery, RunPage, RunQueueSummary } from '../../../lib/contracts/runs';
import { countFailedRuns, listAllRuns } from '../../engine/workflows/list-runs';
import { queueSummary, retryAllNow } from '../../engine/workflows/queue-summary';
import { runHistoryWorkflows } from '../../engine/workflows/run-history-workflows';
import { requestLocales } from '../../http/accept-language';
import { runMasker } from '../../secrets/stored-texts';

/**
 * GET /runs: the run history across workflows, with the console's filters. Supervisors read it
 * too (a respond.io Manager's workflow logs: what their agents ran, and what failed); the
 * engine's queue and waking runs stay the admins'.
 */
export const runListRoutes: FastifyPluginAsyncZod = async (app) => {
  const admin = { access: { role: 'admin' as const } };
  const supervisor = { access: { role: 'supervisor' as const } };
  app.get('/runs', {
    config: supervisor,
    schema: {
      tags: ['workflows'],
      summary: 'Runs of every workflow, newest first, each naming who launched it (`launchedBy`: a shortcut\'s launcher, else null); filter by workflow, status, contact, launcher, who ran them again (`rerunBy`) and start time; page with nextCursor',
      querystring: RunListQuery,
      response: { 200: RunPage },
    },
  }, async (req) => {
    // Runs stored before errors were masked where they were made may quote a credential (stored-texts.ts).
    const [page, shown] = await Promise.all([listAllRuns(app.services.db, req.query), runMasker(app.services.db, app.services.vault)]);
    return { ...page, runs: page.runs.map(shown) };
  });

  // The run history's workflow filter: deleted workflows keep their runs, and are listed while they have some.
  app.get('/runs/workflows', {
    config: supervisor,
    schema: { tags: ['workflows'], summary: 'The workflows the run history can be filtered by: every workflow, and deleted ones that left runs (deleted: true); by name as GET /workflows lists them', response: { 200: RunHistoryWorkflows } },
  }, async (req) => runHistoryWorkflows(app.services.db, requestLocales(req.headers['accept-language'])));

  app.get('/runs/failed-count', {
    config: supervisor,
    schema: {
      tags: ['workflows'], querystring: FailedRunCountQuery, response: { 200: FailedRunCount },
      summary: 'How many runs started since `since` (the last 24 hours unless given) have failed and were not run again: `GET /runs?status=failed&runAgain=false&since=` lists exactly them (without `runAgain`, with those run again too, each with its `rerunAs`)',
    },
  }, async (req) => countFailedRuns(app.services.db, req.query.since));

  app.get('/runs/summary', {
    config: admin,
    schema: { tags: ['workflows'], summary: 'What the engine has in hand: runs ready (and how long the oldest has waited), waiting behind an earlier run of the same contact, running, waiting, and waiting to try a step again', response: { 200: RunQueueSummary } },
  }, async () => queueSummary(app.services.db));

  app.post('/runs/retry-now', {
    config: admin,
    schema: { tags: ['workflows'], summary: 'Every run waiting to try a step again tries it now (once the outside system is back)', response: { 200: RetryNowResult } },
  }, async () => retryAllNow(app.services));
};
