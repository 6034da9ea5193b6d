import { defineStep, fail } from './define';

/**
 * Placeholder until the mini-app feature lands: that work replaces this body. A handler gets a
 * StepContext<'mini_app_action'> (see ./define): config { appId, actionKey, inputs }, render /
 * renderJson for the inputs, `once` for the idempotent outside request (key `ctx.idempotencyKey`),
 * and returns next(output, stepVariables) to expose the action's outputs as `$step.<variable>`.
 * Declared `outside: true` so the request does not run inside a database transaction.
 */
export const miniAppActionStep = defineStep({
  type: 'mini_app_action',
  outside: true,
  async run() {
    return fail('mini-app actions are not available yet');
  },
});
