import type { FastifyInstance } from 'fastify';
import { NoQuery, NoQueryBesideBody } from '../../lib/contracts/list-query';

/**
 * Every route under /api/v1 declaring no query schema, whatever its method, gets NoQuery (a 422
 * naming the parameter), here rather than route by route: a route added later cannot forget it.
 * Ignored, a client's `?limit=` on /users answered everything as if it had filtered, and
 * `DELETE /contacts/:id?dryRun=true` or `POST /contacts?firstName=Ana` did something other than
 * asked, silently. A route that reads its query declares it (the event stream's `token`,
 * `rotate?scopes=`). Webhook routes (/hooks, /chatwoot/webhook, /meta/webhook) are outside
 * /api/v1 and untouched: providers add parameters of their own. Registered before the routes:
 * an onRoute hook sees only the routes added after it.
 */
export function refuseUndeclaredQueries(app: FastifyInstance) {
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/') || route.schema?.querystring) return;
    // A copy: schema objects are shared between routes (`{ hide: true }`), and no route owns one.
    route.schema = { ...route.schema, querystring: route.schema?.body ? NoQueryBesideBody : NoQuery };
  });
}
