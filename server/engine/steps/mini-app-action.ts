import { ActionNotRunnable, prepareAppAction, sendAppAction, type ActionResult } from '../../apps/run-action';
import { mappedStepVariables } from '../../../lib/workflow/step-variables';
import { defineStep, fail, next, RetryLaterError } from './define';
import { sentBefore, type KeptCall } from './sent-before';

/** Test hook: how retries wait (real timers in production), as for http_request. */
export const miniAppActionTiming = { sleep: undefined as undefined | ((ms: number) => Promise<void>) };

/**
 * Runs an installed app's packaged request (server/apps/run-action): the step's inputs are
 * rendered with the run's templates first, then filled into the request with the installation's
 * auth values. The request goes out at most once per idempotency key; its mapped outputs become
 * `$step.<variable>`.
 */
export const miniAppActionStep = defineStep({
  type: 'mini_app_action',
  outside: true,
  async run(ctx) {
    const { config, services } = ctx;
    const inputs = Object.fromEntries(Object.entries(config.inputs).map(([key, template]) => [key, ctx.render(template)]));
    let prepared;
    try {
      prepared = await prepareAppAction(services.db, services.vault, { appId: config.appId, actionKey: config.actionKey, inputs });
    } catch (err) {
      if (err instanceof ActionNotRunnable) return fail(err.message);
      throw err;
    }
    const send = async (): Promise<ActionResult> => {
      const result = await sendAppAction(services.db, prepared, {
        vault: services.vault,
        allowPrivateUrls: services.config.allowPrivateUrls,
        idempotencyKey: ctx.idempotencyKey,
        cancellation: ctx.cancellation,
        ...(miniAppActionTiming.sleep ? { retry: { sleep: miniAppActionTiming.sleep } } : {}),
      });
      // The app said come back later, or could not be reached: the step tries again later (see http_request).
      if (result.later) {
        for (const n of result.notes) ctx.note(n);
        throw new RetryLaterError(result.error ?? `The action "${config.actionKey}" failed`, result.later.retryAfterMs, result.attempts);
      }
      return result;
    };
    // Committed before the request, as for http_request: a POST whose answer a crash lost is not sent twice.
    const effect: KeptCall = await ctx.once<KeptCall>(send, { unfinished: () => sentBefore(ctx, prepared.request.method, send) });
    for (const n of effect.notes) ctx.note(n);
    const output = {
      app: config.appId, action: config.actionKey, status: effect.status, attempts: effect.attempts,
      ...(Object.keys(effect.values).length ? { variables: effect.values } : {}),
      // What the app answered, when it failed the step or its outputs could not be mapped.
      ...(effect.response !== undefined ? { response: effect.response } : {}),
      ...(effect.unknown ? { outcome: 'unknown' } : {}),
    };
    if (effect.unknown) return fail(`The action "${config.actionKey}": ${effect.error}`, output);
    if (!effect.ok) return fail(effect.error ?? `The action "${config.actionKey}" failed`, output);
    // A name this step maps but could not fill is null now, not an earlier step's value.
    return next(output, mappedStepVariables(prepared.action.outputs, effect.values));
  },
});
