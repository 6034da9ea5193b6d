import { evaluateVariableConditions } from '../../../lib/workflow/conditions';
import { defineStep, goTo, next } from './define';

export const branchStep = defineStep({
  type: 'branch',
  async run(ctx) {
    const resolve = (template: string) => ctx.resolve(template);
    const taken = ctx.config.branches.find((b) => evaluateVariableConditions(b.conditions, resolve));
    if (taken) return goTo(taken.goTo, { branch: taken.name });
    if (ctx.config.elseGoTo) return goTo(ctx.config.elseGoTo, { branch: 'else' });
    return next({ branch: 'else' });
  },
});
