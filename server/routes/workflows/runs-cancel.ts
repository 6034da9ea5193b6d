import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../auth/plugin';
import { CancelRunsBody, CancelRunsResult, Run, UnfinishedRunCounts } from '../../../lib/contracts/runs';
import { cancelRun } from '../../engine/workflows/cancel-run';
import { runAsSeenBy } from '../../engine/workflows/run-as-seen';
import { cancelWorkflowRuns } from '../../engine/workflows/cancel-runs';
import { getWorkflowRow } from '../../engine/workflows/service';
import { runMasker } from '../../secrets/stored-texts';
import { countUnfinishedRuns } from '../../engine/workflows/unfinished-runs';

const Params = z.object({ id: z.string().max(100) });

/**
 * Stopping a workflow's runs, together (n8n's "stop executions", respond.io's "stop this workflow")
 * or one: supervisors too, as the brake for a workflow misbehaving while no admin is around (one
 * agent's stuck run should not need every run of the workflow stopped); changing the workflow
 * itself stays the admins'.
 */
export const workflowRunsCancelRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;
  const supervisor = { access: { role: 'supervisor' as const } };
  const tags = ['workflows'];

  app.get('/workflows/:id/runs/unfinished', {
    config: supervisor,
    schema: { tags, summary: 'How many of the workflow\'s runs have not ended (queued, running, waiting)', params: Params, response: { 200: UnfinishedRunCounts } },
  }, async (req) => {
    await getWorkflowRow(services.db, req.params.id);
    return countUnfinishedRuns(services.db, services.store.dialect, req.params.id);
  });

  // As n8n's "stop execution": a queued or waiting run never starts again, a running one stops
  // at its next step. 409 once it has ended. Its conversation's line names who stopped it.
  app.post('/runs/:id/cancel', {
    config: supervisor,
    schema: {
      tags, summary: 'Cancel a run that has not ended (supervisors: without its variables and step log, as GET /runs/:id keeps them to admins and the agent who launched it)',
      params: Params, response: { 200: Run },
    },
  }, async (req) => {
    const user = requireUser(req);
    // As GET /runs/:id shows it: a log an older release stored may quote a credential (stored-texts.ts).
    return runAsSeenBy((await runMasker(services.db, services.vault))(await cancelRun(services, req.params.id, user)), user);
  });

  // As a single run's cancel: queued and waiting runs never start again, running ones stop at their next step.
  app.post('/workflows/:id/runs/cancel', {
    config: supervisor,
    schema: {
      tags, summary: 'Cancel the workflow\'s unfinished runs (or only those of the statuses given); answers how many and which',
      params: Params, body: CancelRunsBody.nullish(), response: { 200: CancelRunsResult },
    },
  }, async (req) => cancelWorkflowRuns(services, req.params.id, requireUser(req), req.body?.status));
};
