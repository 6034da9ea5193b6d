import { LogController, type FastifyReply, type FastifyRequest, type onSendHookHandler } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * 'debug': this route's request lines are logged at debug instead of info. Webhook deliveries
     * (thousands a second) and health probes (every few seconds) would drown the other requests
     * at the default level; with LOG_LEVEL=debug they are there, refusals with their reason code.
     */
    requestLog?: 'debug';
  }
}

const quiet = (request: FastifyRequest) => request.routeOptions.config?.requestLog === 'debug';

// The `error.code` of an answer (`not_found`, `rate_limited`): the status alone does not say why
// a delivery was refused. Filled by `noteErrorCode` on the routes that log it.
const errorCodes = new WeakMap<FastifyRequest, string>();
const CODE = /^\{"error":\{"code":"([a-z_]+)"/;

/** onSend hook: remembers an error answer's code for the request's "request completed" line. */
export const noteErrorCode: onSendHookHandler = (request, reply, payload, done) => {
  if (reply.statusCode >= 400 && typeof payload === 'string') {
    const code = CODE.exec(payload)?.[1];
    if (code) errorCodes.set(request, code);
  }
  done(null, payload);
};

/**
 * Fastify's request lines, with routes marked `requestLog: 'debug'` moved to debug (a route's
 * `logLevel` cannot do that: 'warn' silenced them at every LOG_LEVEL, debug included). Their
 * "request completed" line carries the URL (its token redacted, logging.ts) and the error code.
 */
export class RequestLog extends LogController {
  override incomingRequest(request: FastifyRequest, reply: FastifyReply) {
    if (!quiet(request)) return super.incomingRequest(request, reply);
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (!quiet(request) || error) return super.requestCompleted(error, request, reply);
    const code = errorCodes.get(request);
    reply.log.debug({ req: request, res: reply, responseTime: reply.elapsedTime, ...(code ? { code } : {}) }, 'request completed');
  }
}
