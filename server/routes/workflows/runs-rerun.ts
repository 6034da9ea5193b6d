import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../../auth/plugin';
import { IdempotencyKeyHeaders } from '../../../lib/contracts/idempotency';
import { Run } from '../../../lib/contracts/runs';
import { RerunBody, RerunRunsBody, RerunRunsResult } from '../../../lib/contracts/run-rerun';
import { rerunRun, rerunWorkflowRuns } from '../../engine/workflows/rerun';
import { runMasker } from '../../secrets/stored-texts';

const Params = z.object({ id: z.string().max(100) });

const WORKFLOW_GONE = '`workflow_not_published`: the workflow is a draft now (publish it first); `workflow_deleted`: it was deleted';

/**
 * Running failed runs again, one or a workflow's all (n8n's "Retry execution", once the cause is
 * fixed): supervisors too, who see the failures in the run history and would otherwise ask each
 * agent to launch the shortcut again by hand. Each starts a new run of the published version,
 * from its first step or (`from: failed_step`, while the steps before the failed one are unchanged
 * in that version) from the failed step (engine/workflows/rerun.ts says why), linked to the run it repeats.
 */
export const workflowRunsRerunRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;
  const tags = ['workflows'];

  app.post('/runs/:id/rerun', {
    config: {
      access: { role: 'supervisor' },
      errors: {
        409: `\`not_failed\`: only a failed run runs again; \`already_rerun\`: it was run again already (the message names that run); ${WORKFLOW_GONE}; \`contact_gone\`: its contact was deleted; `
          + '`workflow_changed`: from the failed step, but a step before it was changed since the run (the message names it; run it again from the start, or with `workflow: original`); `version_gone`: with `workflow: original`, the version the run ran is not kept; `idempotency_key_reused`: the key was used with the other `from` or `workflow`; '
          + '`assignee_deactivated`: its workflow assigns to a deactivated user (as a shortcut launch is refused); `conversation_closed`: a shortcut\'s run whose conversation is closed now (a shortcut runs in an open conversation)',
      },
    },
    schema: {
      tags, params: Params, headers: IdempotencyKeyHeaders, body: RerunBody.nullish(), response: { 201: Run },
      summary: 'Run a failed run again: a new run (`rerunOf` names the failed one) of the workflow\'s published version, for the same contact and conversation with the same trigger data, '
        + 'from its first step, or with `from: failed_step` from the step that failed (`rerunFromStep`), with the failed run\'s variables and without repeating the steps before it, '
        + 'with the workflow as published now (the failed step and those after it as saved since; `failedStep.savedAt` says when), while the steps before it are unchanged, or with `workflow: original` with the version the failed run ran, whatever was saved since (`failedStep.originalRefused` says whether it may). Once per run; an Idempotency-Key repeats the first answer (`x-duplicate-delivery: true`)',
    },
  }, async (req, reply) => {
    const { run, duplicate } = await rerunRun(services, req.params.id, requireUser(req), req.headers['idempotency-key'], req.body?.from, req.body?.workflow);
    if (duplicate) reply.header('x-duplicate-delivery', 'true');
    // A repeated key answers the rerun as it is now: failed, its error may be one an older release stored (stored-texts.ts).
    return reply.code(201).send((await runMasker(services.db, services.vault))(run));
  });

  app.post('/workflows/:id/runs/rerun', {
    config: { access: { role: 'supervisor' }, errors: { 409: `${WORKFLOW_GONE}; \`assignee_deactivated\`: from the start, the workflow assigns to a deactivated user (nothing is started)` } },
    schema: {
      tags, params: Params, body: RerunRunsBody.nullish(), response: { 200: RerunRunsResult },
      summary: 'Run the workflow\'s failed runs again (those started since `since`), oldest first, up to 1,000 a call: `remaining` says how many are left. A run already run again is never run again twice, however often or at once this is called. '
        + 'With `from: failed_step`, each from its failed step with the version published now, and only the failures whose steps before it that version keeps (`earlierVersion` counts the others: they run again from the start, or with `workflow: original`, each with the version it ran; `assigneeDeactivated` those that would reach an Assign to a deactivated user). '
        + 'A shortcut\'s runs whose conversation is closed now are left out and counted in `closedConversation` alone, whichever version they ran: each failed run left is counted once',
    },
  }, async (req) => rerunWorkflowRuns(services, req.params.id, requireUser(req), req.body ?? {}));
};
