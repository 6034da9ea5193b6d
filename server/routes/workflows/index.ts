import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../auth/plugin';
import { notFound } from '../../http-error';
import { Run, RunPage, WorkflowRunsQuery } from '../../../lib/contracts/runs';
import { UnpublishBody, UnpublishResult, Workflow, WorkflowCreateBody, WorkflowUpdateBody } from '../../../lib/contracts/workflow';
import {
  createWorkflow, deleteWorkflow, getWorkflow, publishWorkflow, unpublishWorkflow, updateWorkflow,
} from '../../engine/workflows/service';
import { retryNow } from '../../engine/workflows/retry-now';
import { workflowRunsCancelRoutes } from './runs-cancel';
import { workflowRunsRerunRoutes } from './runs-rerun';
import { runAsReadBy } from '../../engine/workflows/run-as-read';
import { runMasker } from '../../secrets/stored-texts';
import { workflowFileRoutes } from './file';
import { waitingBehind } from '../../engine/workflows/waiting-behind';
import { listWorkflowSummaries, WorkflowSummaryList } from '../../engine/workflows/queries';
import { historyRun, listAllRuns } from '../../engine/workflows/list-runs';
import { workflowKnown } from '../../engine/workflows/run-history-workflows';
import { launcherOf, mayReadRun } from '../../engine/workflows/launched-by';
import { requestLocales } from '../../http/accept-language';
import { NoContent } from '../../http/openapi';
import { WorkflowListQuery } from '../../../lib/contracts/workflow-list';

const Params = z.object({ id: z.string().max(100) });

const AGENT_ERRORS = 'An agent reads the errors as the run\'s line in the conversation says them: a request the server\'s address policy refused is "the request was refused"; admins and supervisors read which setting allows it.';

/** The Workflow API (DESIGN §8): admins configure; the engine does the work. */
export const workflowRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;
  const admin = { access: { role: 'admin' as const } };
  const tags = ['workflows'];
  // publish / unpublish / delete take no body: an empty JSON body is no body (app.ts's JSON parser).

  app.post('/workflows', { config: admin, schema: { tags, body: WorkflowCreateBody, response: { 201: Workflow } } },
    async (req, reply) => reply.code(201).send(await createWorkflow(services, req.body)));

  // Paged as GET /contacts (lib/contracts/workflow-list.ts): a client that sends no `limit` gets the first 50 and a `nextCursor`.
  app.get('/workflows', {
    config: admin,
    schema: {
      tags, summary: 'Workflows by name, a page at a time (50 unless `limit` says, up to 200): pass `nextCursor` back as `cursor` until it is null; search the name (q), filter by status and trigger; total counts every match',
      description: 'Names sort as the languages of Accept-Language sort them (the server\'s own without it): any case or accent, numbers by value ("Flow 2" before "Flow 10"); equal names by id. Send the same Accept-Language for every page.',
      querystring: WorkflowListQuery, response: { 200: WorkflowSummaryList },
    },
  }, async (req) => listWorkflowSummaries(services, req.query, requestLocales(req.headers['accept-language'])));

  app.get('/workflows/:id', { config: admin, schema: { tags, params: Params, response: { 200: Workflow } } },
    async (req) => getWorkflow(services, req.params.id));

  app.put('/workflows/:id', {
    config: {
      ...admin,
      errors: { 409: '`workflow_in_use`: a published sub-workflow that published workflows start would get another trigger than manual (their Trigger workflow steps would fail), the message naming them; `conflict`: it was changed by someone else meanwhile' },
    },
    schema: { tags, params: Params, body: WorkflowUpdateBody, response: { 200: Workflow } } },
    async (req) => updateWorkflow(services, req.params.id, req.body));

  app.delete('/workflows/:id', { config: admin, schema: { tags, params: Params, response: { 204: NoContent } } },
    async (req, reply) => {
      await deleteWorkflow(services, req.params.id);
      return reply.code(204).send();
    });

  app.post('/workflows/:id/publish', { config: admin, schema: { tags, params: Params, response: { 200: Workflow } } },
    async (req) => publishWorkflow(services, req.params.id));

  // `{ cancelRuns: true }`: its unfinished runs are cancelled too; else they go on (runs-cancel.ts stops them later).
  app.post('/workflows/:id/unpublish', { config: admin, schema: { tags, params: Params, body: UnpublishBody.nullish(), response: { 200: UnpublishResult } } },
    async (req) => unpublishWorkflow(services, req.params.id, req.body?.cancelRuns ? requireUser(req) : undefined));

  await app.register(workflowRunsCancelRoutes);
  await app.register(workflowRunsRerunRoutes);
  await app.register(workflowFileRoutes);

  // Pages as /runs does (supervisors too). A deleted workflow's runs stay readable; an id never seen is a 404.
  app.get('/workflows/:id/runs', {
    config: { access: { role: 'supervisor' as const } },
    schema: { tags, summary: 'A workflow\'s runs, newest first (also a deleted one\'s); the filters and paging of /runs', params: Params, querystring: WorkflowRunsQuery, response: { 200: RunPage } },
  }, async (req) => {
    if (!(await workflowKnown(services.db, req.params.id))) throw notFound(`Workflow ${req.params.id}`);
    const { before, cursor, ...query } = req.query;
    // As GET /runs: older errors may quote a credential (stored-texts.ts).
    const [page, shown] = await Promise.all([listAllRuns(services.db, { ...query, workflowId: req.params.id, cursor: cursor ?? before }), runMasker(services.db, services.vault)]);
    return { ...page, runs: page.runs.map(shown) };
  });

  // Agents follow the runs they launched (the launcher's toast); supervisors and admins read every run (the run history).
  app.get('/runs/:id', {
    config: { access: { role: 'agent' as const } },
    schema: { tags, summary: 'One run, whole: admins and supervisors any run, agents the runs they launched (others: 404)', description: AGENT_ERRORS, params: Params, response: { 200: Run } },
  }, async (req) => {
    const reader = requireUser(req);
    const run = await historyRun(services.db, req.params.id);
    if (!mayReadRun(reader, launcherOf(run.variables))) throw notFound(`Run ${req.params.id}`);
    // A queued run held by an earlier run of its pair says which (the launcher's toast, the run history).
    const behind = await waitingBehind(services.db, run);
    // An agent's toast reads its errors as the thread says them (run-as-read.ts).
    const seen = runAsReadBy((await runMasker(services.db, services.vault))(run), reader);
    return behind ? { ...seen, waitingBehind: behind } : seen;
  });

  // POST /runs/:id/cancel: with a workflow's runs' cancel, supervisors too (runs-cancel.ts).

  // As Zapier's "replay now": a run waiting to try a step again tries it at once. 409 for any other run.
  app.post('/runs/:id/retry-now', { config: admin, schema: { tags, summary: 'Try the step a run waits to try again now, instead of at its wake time', params: Params, response: { 200: Run } } },
    // Its log's retrying entries may quote a credential, if an older release stored them (stored-texts.ts).
    async (req) => (await runMasker(services.db, services.vault))(await retryNow(services, req.params.id)));
};
