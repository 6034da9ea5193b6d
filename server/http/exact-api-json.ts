import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseJsonExact } from '../../lib/workflow/exact-json';
import { declaredText, JSON_WITH_CHARSET } from './body-charset';
import { compressedBodyRefusal } from './content-encoding';
import { JSON_MEDIA_TYPE } from './media-type';

type Done = (err: Error | null, body?: unknown) => void;

/**
 * For the routes of `api` (an encapsulated context) that take a third party's sample body, the
 * webhook mapping tester: whole numbers past 2^53 keep their digits as /hooks keeps them
 * (exact-json.ts), so the tester shows Shopify's 820982911946154508 as a delivery stores it, not
 * 820982911946154500. Everything else as the API's parser (app.ts): an empty body is no body, a
 * compressed one a 415, another charset decoded, and the text checked by Fastify's parser first
 * ("__proto__" refused, its 400 for bad JSON); the second, exact parse runs only on valid JSON.
 */
export function useExactJson(api: FastifyInstance): void {
  const checked = api.getDefaultJsonParser('error', 'error');
  const parse = (req: FastifyRequest, body: string | Buffer, done: Done) => {
    if (body.length === 0) return done(null, undefined);
    const refusal = req.headers['content-encoding'] === undefined ? undefined : compressedBodyRefusal(req.headers);
    if (refusal) return done(refusal, undefined);
    const text = typeof body === 'string' ? body : declaredText(req.headers['content-type'], body);
    if (typeof text !== 'string') return done(text, undefined);
    checked(req, text, (err) => (err ? done(err, undefined) : done(null, parseJsonExact(text))));
  };
  api.removeContentTypeParser([JSON_MEDIA_TYPE, JSON_WITH_CHARSET]);
  api.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string' }, parse);
  api.addContentTypeParser(JSON_WITH_CHARSET, { parseAs: 'buffer' }, parse);
}
