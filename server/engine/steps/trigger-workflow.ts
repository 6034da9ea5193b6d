import { defineStep, fail, next } from './define';

const record = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * What the started workflow reads as `{{$trigger.<name>}}`: the caller's trigger variables and
 * its `$step` variables, flat (a step variable wins over a trigger variable of the same name,
 * being the later value).
 */
export const callerVariables = (variables: Record<string, unknown>) => ({ ...record(variables.trigger), ...record(variables.step) });

/**
 * Starts a `manual` workflow for the same contact by recording `workflow.started`; the
 * dispatcher turns that event into the run (same transaction), at depth + 1 for the loop guard.
 */
export const triggerWorkflowStep = defineStep({
  type: 'trigger_workflow',
  async run(ctx) {
    const workflowId = ctx.config.workflowId;
    return ctx.db(async (uow) => {
      const target = await uow.trx.selectFrom('workflows').select(['id', 'status', 'trigger_type']).where('id', '=', workflowId).executeTakeFirst();
      if (!target) return fail(`Workflow ${workflowId} to start does not exist`);
      if (target.status !== 'published' || target.trigger_type !== 'manual') {
        return fail(`Workflow ${workflowId} cannot be started by another workflow: it must be published with a manual trigger`);
      }
      let explained = false;
      const { eventId, runIds } = await ctx.services.events.record(uow, {
        type: 'workflow.started',
        payload: { contactId: ctx.run.contactId, workflowId, variables: callerVariables(ctx.run.variables), byRunId: ctx.run.id },
      }, { ...ctx.cause, idempotencyKey: ctx.idempotencyKey, onNote: (note, id) => { explained = true; ctx.cause.onNote(note, id); } });
      // The event's note says why (the loop guard: "Not started: the loop guard stops chains …").
      if (runIds.length === 0 && !explained) ctx.note(`No run of ${workflowId} was started (see event ${eventId})`);
      uow.afterCommit(() => ctx.services.runSignal.notify());
      return next({ workflowId, eventId, runIds });
    });
  },
});
