import ky, { HTTPError, isHTTPError, isNetworkError, isTimeoutError, SchemaValidationError, type KyInstance } from 'ky';
import type { z } from 'zod';
import { ErrorBody, type ErrorDetail } from '../contracts/errors';
import { ChatwootResolveResult, type ChatwootResolveQuery } from '../contracts/chatwoot';
import { AwaitingAnswerState, TakeOverResult, type TakeOverBody } from '../contracts/conversations';
import { Run } from '../contracts/runs';
import { LaunchResult, SHORTCUT_UNAVAILABLE, ShortcutList, type LaunchBody } from '../contracts/shortcuts';
import { Me } from '../contracts/users';
import { AppMe } from '../contracts/app-me';
import { isMissingRoute, missingRouteMessage, ROUTE_MISSING } from './missing-route';
import { refusedParametersMessage } from './older-server';
import type { Connection, LaunchOutcome } from './protocol';

type ResolveQuery = z.infer<typeof ChatwootResolveQuery>;

/** `not_found`: an item the server lacks; `route_missing`: a route it lacks, being older than the extension (missing-route.ts). */
export type ApiErrorKind = 'unreachable' | 'unauthorized' | 'forbidden' | 'invalid' | 'not_found' | 'route_missing' | 'error';

/** Every failure of the client, reduced to what the extension acts on. */
export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    readonly status?: number,
    readonly details?: ErrorDetail[],
    /** The server's `error.code`, when it answered with one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * GET /me answers a mini-app's API key too (AppMe): a key pasted into the extension would then
 * read as "an unexpected shape". It is a credential the extension cannot act with: said so.
 */
const refuseAppKey = (body: unknown) => {
  const app = AppMe.safeParse(body);
  if (app.success) throw new ApiError('unauthorized', `This is the API key of the mini-app "${app.data.app.name}", not a user's token: connect with your own token`, 200);
  return body;
};

/** `" http://host:8787/ "` -> `"http://host:8787"`; throws on anything that is not an http(s) URL. */
export function normalizeServerUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new ApiError('invalid', `"${input}" is not a URL (e.g. http://127.0.0.1:8787)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ApiError('invalid', 'The server URL must start with http:// or https://');
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export interface ApiClientOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** Typed client of the companion API for one connection; every answer parsed with its contract. */
export function createApiClient(connection: Connection, options: ApiClientOptions = {}) {
  const serverUrl = normalizeServerUrl(connection.serverUrl);
  const http: KyInstance = ky.create({
    baseUrl: `${serverUrl}/`,
    prefix: 'api/v1',
    headers: { authorization: `Bearer ${connection.token}` },
    retry: 0,
    timeout: options.timeoutMs ?? 8000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  const call = async <S extends z.ZodType>(request: () => Promise<unknown>, schema: S): Promise<z.infer<S>> => {
    let body: unknown;
    try {
      body = await request();
    } catch (err) {
      throw await toApiError(err, serverUrl);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new ApiError('error', `The server at ${serverUrl} answered in an unexpected shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  };

  return {
    serverUrl,
    me: () => call(() => http.get('me').json().then(refuseAppKey), Me),
    shortcuts: () => call(() => http.get('shortcuts').json(), ShortcutList),
    launch: (shortcutId: string, body: LaunchBody) =>
      call(() => http.post(`shortcuts/${encodeURIComponent(shortcutId)}/launch`, { json: body }).json(), LaunchResult),
    run: (runId: string) => call(() => http.get(`runs/${encodeURIComponent(runId)}`).json(), Run),
    awaitingAnswer: (conversationId: string) =>
      call(() => http.get(`conversations/${encodeURIComponent(conversationId)}/awaiting-answer`).json(), AwaitingAnswerState),
    takeOver: (conversationId: string, body: TakeOverBody) =>
      call(() => http.post(`conversations/${encodeURIComponent(conversationId)}/awaiting-answer/take-over`, { json: body }).json(), TakeOverResult),
    resolveChatwootConversation: (q: ResolveQuery) =>
      call(() => http.get('chatwoot/conversations/resolve', { searchParams: { origin: q.origin, accountId: q.accountId, conversationId: q.conversationId } }).json(), ChatwootResolveResult),
    /** The stream URL: the token goes in the query because the stream is read like EventSource would. */
    streamUrl: () => `${serverUrl}/api/v1/events/stream?token=${encodeURIComponent(connection.token)}`,
    /**
     * Any call on this server (for the options page), never throwing on an HTTP status.
     * `path` is under /api/v1 (`/workflows`), or starts with `/api/` itself; never another origin.
     */
    raw: async (method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> => {
      if (!path.startsWith('/') || path.startsWith('//')) throw new ApiError('invalid', 'The path must start with a single "/"');
      const target = path.startsWith('/api/') ? path.slice(1) : `api/v1${path}`;
      try {
        const response = await http(target, {
          prefix: '',
          method,
          throwHttpErrors: false,
          ...(body === undefined ? {} : { json: body }),
        });
        const text = await response.text();
        let parsed: unknown = null;
        if (text) {
          try { parsed = JSON.parse(text); } catch { parsed = text; }
        }
        if (isMissingRoute(response.status, parsed)) {
          return { status: response.status, body: { error: { code: ROUTE_MISSING, message: missingRouteMessage(serverUrl, method, `/${target}`) } } };
        }
        // A parameter the server does not take yet: said as a missing route is, its 422 and details kept.
        const older = refusedParametersMessage(response.status, parsed, serverUrl);
        if (older) {
          const answer = parsed as { error: Record<string, unknown> };
          return { status: response.status, body: { ...answer, error: { ...answer.error, message: older } } };
        }
        return { status: response.status, body: parsed };
      } catch (err) {
        const e = await toApiError(err, serverUrl);
        return { status: 0, body: { error: { code: e.kind, message: e.message } } };
      }
    },
  };
}

export const unreachableMessage = (serverUrl: string) => `Could not reach the companion server at ${serverUrl}`;

async function toApiError(err: unknown, serverUrl: string): Promise<ApiError> {
  if (err instanceof ApiError) return err;
  if (isNetworkError(err) || isTimeoutError(err) || (err instanceof TypeError && !isHTTPError(err))) {
    return new ApiError('unreachable', unreachableMessage(serverUrl));
  }
  if (err instanceof SchemaValidationError) return new ApiError('error', `The server at ${serverUrl} answered in an unexpected shape`);
  if (err instanceof HTTPError) {
    const status = err.response.status;
    if (isMissingRoute(status, err.data)) {
      // The path under the server's address (which may have one of its own, behind a proxy).
      const path = new URL(err.request.url).pathname;
      const base = new URL(serverUrl).pathname.replace(/\/$/, '');
      return new ApiError('route_missing', missingRouteMessage(serverUrl, err.request.method, path.startsWith(base) ? path.slice(base.length) : path), status, undefined, ROUTE_MISSING);
    }
    const parsed = ErrorBody.safeParse(err.data);
    const message = refusedParametersMessage(status, err.data, serverUrl) ?? (parsed.success ? parsed.data.error.message : `The server answered ${status}`);
    const details = parsed.success ? parsed.data.error.details : undefined;
    const kind: ApiErrorKind =
      status === 401 ? 'unauthorized'
        : status === 403 ? 'forbidden'
          : status === 404 ? 'not_found'
            : status === 422 || status === 400 ? 'invalid'
              : 'error';
    return new ApiError(kind, message, status, details, parsed.success ? parsed.data.error.code : undefined);
  }
  return new ApiError('error', err instanceof Error ? err.message : String(err));
}

/** How the UI shows a failed launch. */
export function launchOutcomeOf(err: unknown): LaunchOutcome {
  const e = err instanceof ApiError ? err : new ApiError('error', err instanceof Error ? err.message : String(err));
  if (e.code === SHORTCUT_UNAVAILABLE) return { ok: false, kind: 'unavailable', message: e.message };
  switch (e.kind) {
    case 'unreachable':
      return { ok: false, kind: 'unreachable', message: `${e.message}; the shortcut was not started.` };
    case 'forbidden':
      return { ok: false, kind: 'forbidden', message: e.message };
    case 'invalid':
      return { ok: false, kind: 'invalid', message: e.message, ...(e.details ? { details: e.details } : {}) };
    case 'unauthorized':
      return { ok: false, kind: 'error', message: `The server no longer accepts your token (${e.message}); reconnect from the extension popup.` };
    default:
      return { ok: false, kind: 'error', message: e.message };
  }
}
