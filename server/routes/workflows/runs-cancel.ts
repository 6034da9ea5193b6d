import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../auth/plugin';
import { CancelRunsBody, CancelRunsResult, UnfinishedRunCounts } from '../../../lib/contracts/runs';
import { cancelWorkflowRuns } from '../../engine/workflows/cancel-runs';
import { getWorkflowRow } from '../../engine/workflows/service';
import { countUnfinishedRuns } from '../../engine/workflows/unfinished-runs';

const Params = z.object({ id: z.string().max(100) });

/**
 * Stopping a workflow's runs together (n8n's "stop executions", respond.io's "stop this workflow"):
 * supervisors too, as the brake for a workflow misbehaving while no admin is around; changing the
 * workflow itself stays the admins'.
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

  // As a single run's cancel: queued and waiting runs never start again, running ones stop at their next step.
  app.post('/workflows/:id/runs/cancel', {
    config: supervisor,
    schema: {
      tags, summary: 'Cancel the workflow\'s unfinished runs (or only those of the statuses given); answers how many and which',
      params: Params, body: CancelRunsBody.nullish(), response: { 200: CancelRunsResult },
    },
  }, async (req) => cancelWorkflowRuns(services, req.params.id, requireUser(req), req.body?.status));
};
