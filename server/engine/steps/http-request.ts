import { extractMappings } from '../../../lib/workflow/jsonpath-mapping';
import { OutboundError } from '../../outbound/errors';
import { withRetries } from '../../outbound/retry';
import { safeFetch } from '../../outbound/safe-fetch';
import { defineStep, fail, next } from './define';

interface HttpEffect {
  status: number;
  attempts: number;
  ok: boolean;
  values: Record<string, unknown>;
  notes: string[];
  error?: string;
}

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
      const notes: string[] = [];
      try {
        const { response, attempts } = await withRetries(
          () => safeFetch({ method: config.method, url, headers, body, timeoutMs: config.timeoutMs }, { allowList: ctx.services.config.allowPrivateUrls }),
          { onRetry: (r) => notes.push(`attempt ${r.attempt}: ${r.reason}, retrying in ${r.delayMs} ms`), ...(httpRequestTiming.sleep ? { sleep: httpRequestTiming.sleep } : {}) },
        );
        const ok = response.status >= 200 && response.status < 300;
        let values: Record<string, unknown> = {};
        if (ok && config.responseMappings.length > 0) {
          if (response.json === undefined) notes.push('The response is not JSON; no variable was mapped');
          else {
            const mapped = extractMappings(response.json, config.responseMappings);
            values = mapped.values;
            for (const e of mapped.errors) notes.push(`$step.${e.variable}: ${e.message}`);
          }
        }
        return { status: response.status, attempts, ok, values, notes };
      } catch (err) {
        // Refused or failed for good: remembered too, so a resumed run does not knock again.
        const attempts = err instanceof OutboundError ? err.attempts ?? 1 : 1;
        return { status: 0, attempts, ok: false, values: {}, notes, error: err instanceof Error ? err.message : String(err) };
      }
    });

    for (const n of effect.notes) ctx.note(n);
    const output = { status: effect.status, attempts: effect.attempts, ...(Object.keys(effect.values).length ? { variables: effect.values } : {}) };
    if (effect.error) return fail(`${config.method} ${url}: ${effect.error}`, output);
    if (!effect.ok) return fail(`${config.method} ${url} answered HTTP ${effect.status}`, output);
    return next(output, effect.values);
  },
});
