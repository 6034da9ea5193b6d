import { evaluateVariableConditions } from '../../../lib/workflow/conditions';
import { defineStep, goTo, next } from './define';

export const branchStep = defineStep({
  type: 'branch',
  async run(ctx) {
    const resolve = (template: string) => ctx.resolve(template);
    // A greater/less than on something that is no number goes on silently otherwise: the log says why.
    const taken = ctx.config.branches.find((b) => evaluateVariableConditions(b.conditions, resolve, (why) => ctx.note(`Branch "${b.name}": ${why}`)));
    if (taken) return goTo(taken.goTo, { branch: taken.name });
    if (ctx.config.elseGoTo) return goTo(ctx.config.elseGoTo, { branch: 'else' });
    return next({ branch: 'else' });
  },
});
