import { callAndMap, type CallResult } from '../../outbound/call';
import { defineStep, fail, next } from './define';

type HttpEffect = Omit<CallResult, 'bodyText'>;

/** Test hook: how withRetries waits (real timers in production). */
export const httpRequestTiming = { sleep: undefined as undefined | ((ms: number) => Promise<void>) };

export const httpRequestStep = defineStep({
  type: 'http_request',
  outside: true,
  async run(ctx) {
    const { config } = ctx;
    const url = ctx.render(config.url).trim();
    const headers: Record<string, string> = {};
    for (const h of config.headers) headers[h.key.toLowerCase()] = ctx.render(h.value);
    let body: string | undefined;
    if (config.body !== undefined && config.body.trim() !== '') {
      body = ctx.renderJson(config.body);
      try { JSON.parse(body); } catch { return fail('The request body is not valid JSON after rendering'); }
      headers['content-type'] ??= 'application/json';
    }
    headers['idempotency-key'] ??= ctx.idempotencyKey;
    headers['user-agent'] ??= 'InboxCompanion-Workflow/1';

    const effect = await ctx.once<HttpEffect>(async () => {
      const { bodyText: _unused, ...result } = await callAndMap(
        { method: config.method, url, headers, body, timeoutMs: config.timeoutMs },
        { allowList: ctx.services.config.allowPrivateUrls, mappings: config.responseMappings, ...(httpRequestTiming.sleep ? { retry: { sleep: httpRequestTiming.sleep } } : {}) },
      );
      return result;
    });

    for (const n of effect.notes) ctx.note(n);
    const output = { status: effect.status, attempts: effect.attempts, ...(Object.keys(effect.values).length ? { variables: effect.values } : {}) };
    if (effect.error) return fail(`${config.method} ${url}: ${effect.error}`, output);
    if (!effect.ok) return fail(`${config.method} ${url} answered HTTP ${effect.status}`, output);
    return next(output, effect.values);
  },
});
