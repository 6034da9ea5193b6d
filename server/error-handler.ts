import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { HttpError, type ErrorDetail } from './http-error';
import { nulDetails, nulMessage } from './http/refuse-nul';
import { RouteMethods } from './http/route-methods';
import { isForeignKeyViolation, isStorageFull, isUniqueViolation, isUnstorableText, UNSTORABLE_TEXT } from './store/database';
import { isDatabaseUnreachable } from './store/pg-connection-loss';
import { isStalePlan } from './store/pg-prepared';
import { isDatabaseLocked, isTransactionConflict } from './store/transient-errors';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Said after a 413's limit: how to send less (a route with a limit of its own, e.g. rows per request). */
    bodyTooLarge?: string;
  }
}

/** The part of a request that failed its schema, in words (details keep the part's own name, `params.id`). */
const PART_NAMES: Record<string, string> = {
  body: 'The body is', params: 'The URL path is', querystring: 'The query string is', headers: 'The request headers are',
};

const send = (code: string, message: string, details?: ErrorDetail[]) => ({ error: { code, message, ...(details ? { details } : {}) } });

// Fastify's own client errors, by code, with a message that says what to fix.
const FASTIFY_CLIENT_ERRORS: Record<string, [number, string, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json"'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'bad_request', 'The Content-Length header does not match the body'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'malformed_json', 'The body is empty; send a JSON object'],
  // Fastify reports a "__proto__" / "constructor.prototype" key (prototype poisoning) the same way.
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'malformed_json', 'The body is not valid JSON, or uses a key that is not allowed ("__proto__", "constructor.prototype")'],
};

export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof HttpError) {
      if (err.headers) reply.headers(err.headers);
      return reply.code(err.statusCode).send(send(err.code, err.message, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = err.validationContext ?? 'body';
      // No body at all (none sent, or an empty one: app.ts's JSON parser) where one is needed:
      // say what to send rather than zod's "expected object, received undefined".
      if (where === 'body' && request.body === undefined) {
        const expected = (err.validation[0]?.params as { expected?: unknown } | undefined)?.expected === 'array' ? 'a JSON array' : 'a JSON object';
        const hint = `send ${expected} with "Content-Type: application/json"`;
        return reply.code(422).send(send('invalid_content', `The body is missing; ${hint}`, [{ path: 'body', message: `Required: ${hint}` }]));
      }
      const details = err.validation.map((v) => ({
        path: [where, ...String(v.instancePath ?? '').split('/').filter(Boolean)].join('.'),
        message: plainTypeMessage(v.message ?? 'Invalid value'),
      }));
      // A body that is not an object at all is malformed, not merely invalid.
      return reply.code(422).send(send('invalid_content', `${PART_NAMES[where] ?? `The ${where} is`} invalid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details));
    }
    // The route's own limit (Fastify's 1 MiB unless it sets one), and what to do about it.
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const mib = (request.routeOptions.bodyLimit ?? 1024 * 1024) / (1024 * 1024);
      const hint = request.routeOptions.config.bodyTooLarge;
      return reply.code(413).send(send('payload_too_large', `The body is larger than the limit of ${mib} MiB${hint ? `: ${hint}` : ''}`));
    }
    const known = err.code ? FASTIFY_CLIENT_ERRORS[err.code] : undefined;
    if (known) return reply.code(known[0]).send(send(known[1], known[2]));
    if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
      return reply.code(400).send(send('malformed_json', 'The body is not valid JSON'));
    }
    if (err.statusCode === 429) {
      return reply.code(429).send(send('rate_limited', err.message || 'Too many requests; slow down and retry later'));
    }
    // Text the database cannot store (a NUL character): the input's fault, not ours.
    if (isUnstorableText(err)) {
      // Which value held it, as other 422s say (the database names none).
      const details = nulDetails({ body: request.body, params: request.params, querystring: request.query });
      return reply.code(422).send(details.length ? send('invalid_content', nulMessage(details), details) : send('invalid_content', UNSTORABLE_TEXT));
    }
    if (isUniqueViolation(err)) {
      return reply.code(409).send(send('conflict', 'This conflicts with an existing record'));
    }
    if (isForeignKeyViolation(err)) {
      return reply.code(409).send(send('conflict', 'This refers to a record that was just deleted (a contact or conversation, say); reload and try again'));
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err, issues: err.cause.issues }, 'response did not match its schema');
      return reply.code(500).send(send('internal', 'Internal error'));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(send('bad_request', err.message));
    }
    // PostgreSQL gave up this transaction to untangle it from another one (a deadlock, or a
    // serialization failure), or another instance's migration made a prepared statement of it
    // stale: it rolled back whole, and the same request again goes through.
    if (isTransactionConflict(err) || isStalePlan(err)) {
      request.log.warn({ err }, 'transaction conflict, rolled back');
      return reply.code(503).header('retry-after', '1').send(send('busy', 'This collided with another change at the same moment and was not saved; send it again'));
    }
    // SQLite: another process held the write lock longer than we wait for it (a backup, sqlite3
    // maintenance). Nothing was written; like a deadlock on PostgreSQL, the same request later goes through.
    if (isDatabaseLocked(err)) {
      request.log.warn({ err }, 'the SQLite database was locked by another process');
      return reply.code(503).header('retry-after', '5').send(send('busy', 'The database is held by another process (a backup or maintenance), so this was not saved; send it again in a few seconds'));
    }
    // PostgreSQL restarting, failing over, or out of reach for a moment: say so, and when to retry
    // (webhook senders and the extension retry a 503), rather than an internal error.
    if (isDatabaseUnreachable(err)) {
      request.log.warn({ err }, 'database not reachable');
      return reply.code(503).header('retry-after', '5').send(send('database_unavailable', 'The database is not reachable right now; retry in a few seconds'));
    }
    // A full disk: nothing of the request was stored (its transaction rolled back). A 503 tells
    // senders to keep it and come back; the log tells the operator what to free.
    if (isStorageFull(err)) {
      request.log.error({ err }, 'the database is full: free disk space');
      return reply.code(503).header('retry-after', '60').send(send('storage_full', 'The server has no room left to store this; nothing was stored. Retry later'));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.code(500).send(send('internal', 'Internal error'));
  });
  // A known URL asked with another method (PATCH where PUT is meant) is a 405 saying which
  // methods it takes (RFC 9110 §15.5.6), not a 404 that reads as if the URL were wrong.
  const routes = new RouteMethods();
  app.addHook('onRoute', (route) => routes.add(route.url, route.method));
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    // A CORS preflight gets here only when @fastify/cors declined its origin (an allowed one is
    // answered 204 before any route): refused as such, not as a method the URL does not take.
    const origin = request.headers.origin;
    if (request.method === 'OPTIONS' && origin && request.headers['access-control-request-method']) {
      return reply.code(403).send(send('cors_origin_refused', `Cross-origin requests from ${origin.slice(0, 200)} are not allowed: the API answers the extension and this server's own pages`));
    }
    const allowed = routes.allowed(path);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      const list = allowed.join(', ');
      return reply.code(405).header('allow', list)
        .send(send('method_not_allowed', `${request.method} is not allowed on ${path}; it takes ${list}`));
    }
    return reply.code(404).send(send('not_found', `No route ${request.method} ${path}`));
  });
}

/**
 * zod's own words for a value of the wrong type ("Invalid input: expected string, received
 * undefined") said as an API client reads them: what is missing, or what was sent instead.
 * Our contracts' own messages (e.g. "Write the text to send") pass as they are.
 */
export function plainTypeMessage(message: string): string {
  const m = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  if (!m) return message;
  // zod says "record" for an object of any keys: an API client sends an object.
  const [expected, received] = [m[1], m[2]].map((t) => (t === 'record' ? 'object' : t));
  const a = (t: string) => (t === 'undefined' || t === 'null' || t === 'NaN' ? t : `${/^[aeiou]/.test(t!) ? 'an' : 'a'} ${t}`);
  return received === 'undefined' ? `Required: give ${a(expected!)}` : `Expected ${a(expected!)}, got ${a(received!)}`;
}
