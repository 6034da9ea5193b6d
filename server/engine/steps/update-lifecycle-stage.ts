import { lifecycleStagesIn, updateContact } from '../../domain/contacts';
import { defineStep, fail, next } from './define';

/** Moves the contact to a lifecycle stage; a real change fires Contact Field Updated (`lifecycle`). */
export const updateLifecycleStageStep = defineStep({
  type: 'update_lifecycle_stage',
  async run(ctx) {
    const stage = ctx.config.stage;
    return ctx.db(async (uow) => {
      const stages = await lifecycleStagesIn(uow);
      if (!stages.includes(stage)) return fail(`There is no lifecycle stage "${stage}" any more; stages: ${stages.join(', ') || 'none'}`);
      const from = ctx.contact.lifecycle ?? null;
      // The contact as the step has it (a run round read it already), not read again.
      await updateContact(uow, ctx.services, ctx.run.contactId, { lifecycle: stage }, ctx.cause, ctx.contact);
      return next({ from, to: stage });
    });
  },
});
