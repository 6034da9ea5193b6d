import type { FastifyInstance } from 'fastify';
import { NoQuery } from '../../lib/contracts/list-query';

/**
 * Every GET under /api/v1 declaring no query schema gets NoQuery (a 422 naming the parameter),
 * here rather than route by route: a route added later cannot forget it, and a client's
 * `?limit=` or `?role=` on /users, /apps or /fields is refused instead of answering everything
 * as if it had filtered. A route that reads its query declares it (the event stream's `token`).
 * Registered before the routes: an onRoute hook sees only the routes added after it.
 */
export function refuseUndeclaredQueries(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    if (!methods.some((m) => m === 'GET' || m === 'HEAD') || !route.url.startsWith('/api/v1/')) return;
    if (route.schema?.querystring) return;
    // A copy: schema objects are shared between routes (`{ hide: true }`), and no route owns one.
    route.schema = { ...route.schema, querystring: NoQuery };
  });
}
