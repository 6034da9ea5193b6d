import { cleanHeaderValue } from '../../../lib/workflow/outbound-templates';
import { renderUrl } from '../../../lib/workflow/template';
import { callAndMap } from '../../outbound/call';
import { shownUrl } from '../../outbound/shown-url';
import { mappedStepVariables } from '../../../lib/workflow/step-variables';
import { defineStep, fail, next, RetryLaterError } from './define';
import { sentBefore, type KeptCall } from './sent-before';

/** Kept per step (ctx.once): a non-2xx answer keeps a bounded excerpt of its body, never the whole body. */
type HttpEffect = KeptCall & { excerpt?: string };

/** Test hook: how withRetries waits (real timers in production). */
export const httpRequestTiming = { sleep: undefined as undefined | ((ms: number) => Promise<void>) };

export const httpRequestStep = defineStep({
  type: 'http_request',
  outside: true,
  async run(ctx) {
    const { config } = ctx;
    // Values are encoded per URL component: a variable is data, never a new segment or parameter.
    const rendered = renderUrl(config.url, ctx.scope);
    for (const name of rendered.unknown) ctx.note(`Unknown variable ${name} rendered empty`);
    const url = rendered.text.trim();
    // What the run log, the run's error and the live stream say: no `user:pw@`, no `?token=` value.
    const shown = `${config.method} ${shownUrl(url)}`;
    if (rendered.refused) return fail(`The URL was not called: ${rendered.refused}`);
    const headers: Record<string, string> = {};
    for (const h of config.headers) {
      const { value, cleaned } = cleanHeaderValue(ctx.render(h.value));
      if (cleaned) ctx.note(`Header ${h.key}: line breaks and control characters removed from the rendered value`);
      headers[h.key.toLowerCase()] = value;
    }
    let body: string | undefined;
    if (config.body !== undefined && config.body.trim() !== '') {
      body = ctx.renderJson(config.body);
      try { JSON.parse(body); } catch { return fail('The request body is not valid JSON after rendering'); }
      headers['content-type'] ??= 'application/json';
    }
    headers['idempotency-key'] ??= ctx.idempotencyKey;
    headers['user-agent'] ??= 'InboxCompanion-Workflow/1';

    const send = async (): Promise<HttpEffect> => {
      const { bodyText, said: answer, ...called } = await callAndMap(
        { method: config.method, url, headers, body, timeoutMs: config.timeoutMs },
        {
          allowList: ctx.services.config.allowPrivateUrls, mappings: config.responseMappings, cancellation: ctx.cancellation,
          ...(httpRequestTiming.sleep ? { retry: { sleep: httpRequestTiming.sleep } } : {}),
        },
      );
      // What the target said about a refusal (a 422's "Content is required") is what the admin needs
      // to fix it; masked as the run log's response is (whatever the request carried, however quoted).
      const said = !called.ok && bodyText?.trim() && answer !== undefined ? { excerpt: answer } : {};
      const result: HttpEffect = { ...called, ...said };
      // Told to come back later (nothing kept, so the next try calls again, same Idempotency-Key);
      // its log entry still says what the quick attempts met.
      if (result.later) {
        for (const n of result.notes) ctx.note(n);
        throw new RetryLaterError(`${shown}: ${result.error ?? answered(result)}`, result.later.retryAfterMs, result.attempts);
      }
      return result;
    };
    const effect = await ctx.once<HttpEffect>(send, { unfinished: () => sentBefore(ctx, config.method, send) });

    for (const n of effect.notes) ctx.note(n);
    // What came back, when the step failed on it or could not map it (n8n shows a node's output).
    const output = {
      status: effect.status, attempts: effect.attempts,
      ...(Object.keys(effect.values).length ? { variables: effect.values } : {}),
      ...(effect.response !== undefined ? { response: effect.response } : {}),
      ...(effect.unknown ? { outcome: 'unknown' } : {}),
    };
    if (effect.error) return fail(`${shown}: ${effect.error}`, output);
    if (!effect.ok) return fail(`${shown} ${answered(effect)}`, output);
    // A name this step maps but could not fill is null now, not an earlier step's value.
    return next(output, mappedStepVariables(config.responseMappings, effect.values));
  },
});

/**
 * `answered HTTP 422: {"error":"Content is required"}`, a redirect not followed with where it
 * pointed; no excerpt for an empty body (or an effect kept by an earlier version).
 */
const answered = (effect: HttpEffect) =>
  `answered HTTP ${effect.status}${effect.location !== undefined ? ` (Location: ${effect.location})` : ''}${effect.excerpt !== undefined ? `: ${effect.excerpt}` : ''}`;
