import type { FastifyInstance, RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ErrorBody } from '../../lib/contracts/errors';
import type { Access } from '../auth/principal';
import { nullableUnions } from './openapi-nullable';

// What /docs/json says beyond the zod schemas: the answers without a body (204) and the errors.
// Documented here, not declared as response schemas on the routes: a declared error schema would
// also serialize (and re-validate) every error answer, and the error handler already builds them
// in one shape (error-handler.ts).

/**
 * The success answer of a route that answers 204: `response: { 204: NoContent }`. `void`, so the
 * handler's `reply.code(204).send()` type-checks; never serialized (Fastify sends no body for
 * `send()`), and documented as an answer without content by openapiTransform.
 */
export const NoContent = z.void().describe('No content: done');

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Errors of this route worth naming in /docs/json (a 409's code, a 502), by status: what each means. */
    errors?: Record<number, string>;
  }
}

const ERROR_SCHEMA_ID = 'Error';
const errorRef = (description: string) => ({ description, $ref: `${ERROR_SCHEMA_ID}#` });

/** `{ error: { code, message, details? } }`, shared by every route's documented errors (components.schemas.Error). */
export function addErrorSchema(app: FastifyInstance) {
  const json = z.toJSONSchema(ErrorBody, { target: 'openapi-3.0' }) as Record<string, unknown>;
  delete json.$schema;
  app.addSchema({ $id: ERROR_SCHEMA_ID, ...json, description: 'Every error: a stable `code`, a `message` to show, and `details` naming the fields to fix (path, message)' });
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/**
 * The errors a route can answer, from what it declares: who may call it (`config.access`), its
 * path parameters, its body and query, and the ones it names (`config.errors`). Anything else
 * (a 409 a route does not name, 431, 503) is the `default`.
 */
export function documentedErrors(route: Pick<RouteOptions, 'method' | 'url' | 'config'>, schema: Record<string, unknown>): Record<string, unknown> {
  const { access, errors } = (route.config as { access?: Access; errors?: Record<number, string> } | undefined) ?? {};
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const signedIn = !!access && !access.public;
  const takesBody = methods.some((m) => BODY_METHODS.has(m));
  const validated = !!(schema.body || schema.querystring || schema.params) || takesBody;
  const malformed = [
    ...(takesBody ? ['The body is not JSON (`malformed_json`)'] : []),
    ...(route.url.includes(':') ? ['A path segment is not valid percent-encoding (`bad_request`)'] : []),
  ];
  return {
    ...(malformed.length ? { 400: errorRef(malformed.join('; or ')) } : {}),
    ...(signedIn ? {
      401: errorRef('No token, or an unknown, revoked or expired one, or a deactivated user (`unauthorized`; `WWW-Authenticate: Bearer`)'),
      403: errorRef('The token is valid but may not do this: a role too low, an app key without the scope (`forbidden`)'),
    } : {}),
    ...(route.url.includes(':') ? { 404: errorRef('Nothing with this id (`not_found`)') } : {}),
    ...(takesBody ? { 413: errorRef('The body is over the route\'s limit, 1 MiB unless its description says otherwise (`payload_too_large`)') } : {}),
    ...(takesBody ? { 415: errorRef('A body that is not JSON, compressed, or in an unknown charset (`unsupported_media_type`, `unsupported_charset`)') } : {}),
    ...(validated ? { 422: errorRef('The body, query or path is invalid; `details` names each field to fix (`invalid_content` or a code of its own)') } : {}),
    429: errorRef('Too many requests; `Retry-After` says when to come back (`rate_limited`). Every counted answer carries `x-ratelimit-limit`, `-remaining` and `-reset`'),
    ...Object.fromEntries(Object.entries(errors ?? {}).map(([status, description]) => [status, errorRef(description)])),
    default: errorRef('Any other error, in the same shape: 409 a conflict with what exists (the route lists its own), 431 a URL and headers over 16 KiB, 503 the database out of reach'),
  };
}

// Sent by @fastify/rate-limit (RATE_LIMIT_PER_MINUTE, per token) and by the webhook routes' own
// limit (webhooks/rate-window.ts, same names and values) on every request they count: declared on
// the answers a client reads them from, the successes and the 429. 401/403 are decided before the
// count, so they carry none.
const integer = (description: string) => ({ type: 'integer', description });
const RATE_LIMIT_HEADERS = {
  'x-ratelimit-limit': integer('Requests allowed in the current one-minute window'),
  'x-ratelimit-remaining': integer('Requests left in the current window'),
  'x-ratelimit-reset': integer('Seconds until the window starts over'),
};
const TOO_MANY_HEADERS = { ...RATE_LIMIT_HEADERS, 'retry-after': integer('Seconds to wait before sending again') };

/** Each answer with the headers it carries (the event stream's too: its head keeps the plugin's headers). */
function withRateLimitHeaders(response: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(response).map(([status, answer]) => {
    const given = answer as Record<string, unknown> | undefined;
    if (!given || typeof given !== 'object') return [status, answer];
    if (status === '429') return [status, { ...given, headers: TOO_MANY_HEADERS }];
    return /^2/.test(status) ? [status, { ...given, headers: RATE_LIMIT_HEADERS }] : [status, answer];
  }));
}

type Transform = typeof jsonSchemaTransform;

/** jsonSchemaTransform (zod → JSON Schema), then the documented errors and the bodiless 204s. */
export const openapiTransform: Transform = (input) => {
  // A 204's schema (NoContent, `void`) has no JSON Schema: taken out before the conversion, and
  // put back as `type: 'null'`, which @fastify/swagger documents as an answer without content.
  const given = input.schema as { response?: Record<string, unknown> } | undefined;
  const noContent = given?.response?.[204] as { description?: string } | undefined;
  const { 204: _omitted, ...rest } = given?.response ?? {};
  const out = jsonSchemaTransform(noContent ? { ...input, schema: { ...input.schema, response: rest } } : input);
  const schema = out.schema as Record<string, unknown> & { hide?: boolean; response?: Record<string, unknown> };
  if (!schema || schema.hide) return out;
  const route = (input as { route: RouteOptions }).route;
  const response = {
    ...schema.response,
    ...(noContent ? { 204: { type: 'null', description: noContent.description ?? 'No content' } } : {}),
  };
  return { ...out, schema: nullableUnions({ ...schema, response: withRateLimitHeaders({ ...response, ...documentedErrors(route, schema) }) }) };
};
