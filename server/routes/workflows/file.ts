import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { WorkflowExportQuery, WorkflowFile, WorkflowImportBody, WorkflowImportResult } from '../../../lib/contracts/workflow-file';
import { exportWorkflows } from '../../engine/workflows/export';
import { importWorkflows } from '../../engine/workflows/import';

/** Workflows to and from a file, to move them between servers (engine/workflows/export.ts, import.ts). */
export const workflowFileRoutes: FastifyPluginAsyncZod = async (app) => {
  const admin = { access: { role: 'admin' as const } };
  const tags = ['workflows'];

  app.get('/workflows/export', {
    config: admin,
    schema: {
      tags, summary: 'Workflows as a file for another server: definitions, and the email, app key or name of each user, app and workflow they name',
      querystring: WorkflowExportQuery, response: { 200: WorkflowFile },
    },
  }, async (req) => {
    const ids = req.query.ids?.split(',').map((id) => id.trim()).filter(Boolean);
    return exportWorkflows(app.services.db, ids?.length ? ids : undefined);
  });

  app.post('/workflows/import', {
    config: {
      ...admin,
      errors: { 409: '`workflow_in_use`: a workflow to `replace` is a sub-workflow published workflows start (it would become a draft under them); `conflict`: one to replace was changed or deleted meanwhile' },
    },
    // A whole workspace's workflows in one file may pass Fastify's 1 MiB.
    bodyLimit: 16 * 1024 * 1024,
    schema: {
      tags,
      summary: 'Workflows from a file, as drafts (new ones, or the drafts of those named in `replace`, keeping their ids and webhook URLs): users matched by email, apps by key, started workflows by name; 422 naming what has no match (nothing saved)',
      body: WorkflowImportBody, response: { 200: WorkflowImportResult, 201: WorkflowImportResult },
    },
  }, async (req, reply) => {
    const result = await importWorkflows(app.services, req.body);
    return reply.code(req.body.dryRun ? 200 : 201).send(result);
  });
};
