import { ErrorBody } from '../contracts/errors';
import { olderServerMessage } from './older-server';

// The Chrome Web Store updates the extension before a self-hosted server is upgraded, so the
// extension may call a route its server does not have yet. Every release answers that from its
// not-found handler (server/error-handler.ts): 404 `not_found` "No route POST /api/v1/…" since
// the first release, and since the thirty-first session 405 `method_not_allowed` for a URL it has
// with other methods only. Our routes' own 404s name the item instead ("Run run_… not found",
// `not_installed`, `chatwoot_not_connected`): those stay "missing", these say "upgrade". No version
// handshake: no released server tells its version, and the server's own answer cannot drift from
// a table of which release brought which route.

/** The code the client gives a route the server does not have (in `raw` answers and ApiError). */
export const ROUTE_MISSING = 'route_missing';

/** Whether `status` and `body` are the server's answer for a route it does not have (not an item it lacks). */
export function isMissingRoute(status: number, body: unknown): boolean {
  const parsed = ErrorBody.safeParse(body);
  if (!parsed.success) return false;
  const { code, message } = parsed.data.error;
  return (status === 404 && code === 'not_found' && message.startsWith('No route ')) || (status === 405 && code === 'method_not_allowed');
}

/** One of our ids (`run_` + ULID) or a number: an item, named as the API docs name routes. */
const ITEM = /^(?:[a-z]+_[0-9A-HJKMNP-TV-Z]{26}|\d+)$/;

/** `/api/v1/runs/run_01J…/rerun?x=1` -> `/api/v1/runs/:id/rerun`: the route, not the item asked for. */
export function routeOf(path: string): string {
  return path.split(/[?#]/, 1)[0]!.split('/').map((s) => (ITEM.test(s) ? ':id' : s)).join('/');
}

/** What the extension says wherever it shows the error: in the words of every older-server case (older-server.ts). */
export const missingRouteMessage = (serverUrl: string, method: string, path: string) =>
  olderServerMessage(`does not have ${method.toUpperCase()} ${routeOf(path)}`, serverUrl);
