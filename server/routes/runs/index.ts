import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { RunListQuery, RunPage } from '../../../lib/contracts/runs';
import { listAllRuns } from '../../engine/workflows/list-runs';

/** GET /runs: the run history across workflows for admins and API users, with the console's filters. */
export const runListRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/runs', {
    config: { access: { role: 'admin' } },
    schema: {
      tags: ['workflows'],
      summary: 'Runs of every workflow, newest first; filter by workflow, status, contact and start time; page with nextCursor',
      querystring: RunListQuery,
      response: { 200: RunPage },
    },
  }, async (req) => listAllRuns(app.services.db, req.query));
};
