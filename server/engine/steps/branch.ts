import type { CheckedBranch } from '../../../lib/contracts/branch-output';
import { checkVariableConditions } from '../../../lib/workflow/conditions';
import { defineStep, goTo, next } from './define';

export const branchStep = defineStep({
  type: 'branch',
  async run(ctx) {
    const resolve = (template: string) => ctx.resolve(template);
    // The branches tried, each with its conditions as checked: the run log says why the run went
    // where it went ("{{$contact.fields.plan}} is "vip"" and the plan it had), not only where.
    const checked: CheckedBranch[] = [];
    // A greater/less than on something that is no number goes on silently otherwise: the log says why.
    const taken = ctx.config.branches.find((b) => {
      const result = checkVariableConditions(b.conditions, resolve, (why) => ctx.note(`Branch "${b.name}": ${why}`));
      // Those an earlier condition decided without are listed too: the run details show every condition.
      checked.push({ branch: b.name, matched: result.holds, conditions: result.checked, ...(result.skipped.length > 0 ? { skipped: result.skipped } : {}) });
      return result.holds;
    });
    if (taken) return goTo(taken.goTo, { branch: taken.name, checked });
    if (ctx.config.elseGoTo) return goTo(ctx.config.elseGoTo, { branch: 'else', checked });
    return next({ branch: 'else', checked });
  },
});
