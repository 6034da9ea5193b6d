import { APP_INSTALLATION_HEADER, type SubscribeRequest } from '../../lib/contracts/apps';
import { newId } from '../ids';
import { excerpt } from '../outbound/excerpt';
import { OutboundBlockedError, OutboundNetworkError, OutboundRequestError } from '../outbound/errors';
import { safeFetch } from '../outbound/safe-fetch';
import type { Services } from '../services';
import { signHeaders } from '../signing/standard-webhooks';

/** What every request to an app's server says it is (subscribe, unsubscribe, action), for an app that filters by it. */
export const APP_USER_AGENT = 'InboxCompanion-MiniApp/1';

/** How long the app's server has to answer a subscribe request; a test hook may shorten it. */
export const subscribeTiming = { timeoutMs: 10_000 };

export interface PostFailure {
  reason: string;
  /** Our outbound policy refused it: nothing was sent. */
  blocked: boolean;
  /**
   * The app's server may have taken the request: no answer in time, the connection dropped after
   * it was made, or a 5xx (it may have failed after storing the key). Not a refused connection
   * (nothing reached it) nor a 3xx or 4xx (it answered that it did not take it).
   */
  maybeReceived: boolean;
}

/**
 * POSTs a signed JSON body once (a subscribe request); why it failed, or undefined on a 2xx.
 * `carried`: the secrets the body holds (the new API key, secret auth values), masked with the
 * signing secrets wherever the app's answer repeats them: the reason reaches the admin's error
 * message, and a server echoing its request would show a live key there.
 */
export async function postSigned(services: Services, secrets: string[], url: string, payload: SubscribeRequest, carried: readonly string[]): Promise<PostFailure | undefined> {
  const body = JSON.stringify(payload);
  const headers = {
    'content-type': 'application/json',
    'user-agent': APP_USER_AGENT,
    // As on every action call: an app routing its requests by this header must not meet a subscribe without it.
    [APP_INSTALLATION_HEADER.toLowerCase()]: payload.installationId,
    ...signHeaders(secrets, { id: newId('msg'), timestamp: new Date(), body }),
  };
  try {
    const res = await safeFetch({ method: 'POST', url, headers, body, timeoutMs: subscribeTiming.timeoutMs, maxResponseBytes: 64 * 1024 },
      { allowList: services.config.allowPrivateUrls });
    if (res.status >= 200 && res.status < 300) return undefined;
    return { reason: `HTTP ${res.status}: ${excerpt(res.bodyText, undefined, [...secrets, ...carried])}`, blocked: false, maybeReceived: res.status >= 500 };
  } catch (err) {
    const unsent = err instanceof OutboundBlockedError || err instanceof OutboundRequestError || (err instanceof OutboundNetworkError && err.neverSent);
    return { reason: err instanceof Error ? err.message : String(err), blocked: err instanceof OutboundBlockedError, maybeReceived: !unsent };
  }
}

/** The admin's fix when our own policy refused the subscribe URL (nothing was sent), as for Chatwoot. */
export const privateUrlMessage = (url: string, reason: string) =>
  `The app's subscribe URL ${url} is on a private network address, which the companion refuses by default; if the app runs on your own network, add its host to COMPANION_ALLOW_PRIVATE_URLS (${reason})`;
