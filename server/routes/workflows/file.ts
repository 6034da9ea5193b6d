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
      errors: {
        409: '`workflow_in_use`: a workflow to `replace` is a sub-workflow published workflows start, and would become a draft (`replaceAs: draft`) or lose its "started by another workflow" trigger under them; `conflict`: one to replace was changed or deleted meanwhile',
        422: '`invalid_content`: the body or file is invalid, or (at `body.replace.<place>`) a published workflow to `replace` would stay published with a version failing the publish checks, `details` naming what to fix; `unresolved_references`: ids the file names have no match here. Nothing is saved',
      },
    },
    // A whole workspace's workflows in one file may pass Fastify's 1 MiB.
    bodyLimit: 16 * 1024 * 1024,
    schema: {
      tags,
      summary: 'Workflows from a file: new ones as drafts, or the newer versions of those named in `replace`, which keep their ids and webhook URLs, and stay published (live at once, as an edit; checked as a publish) unless `replaceAs` is `draft`. Users matched by email, apps by key, started workflows by name; 422 naming what has no match or cannot go live (nothing saved)',
      body: WorkflowImportBody, response: { 200: WorkflowImportResult, 201: WorkflowImportResult },
    },
  }, async (req, reply) => {
    const result = await importWorkflows(app.services, req.body);
    return reply.code(req.body.dryRun ? 200 : 201).send(result);
  });
};
