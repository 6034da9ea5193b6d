import { browser } from 'wxt/browser';
import type { Envelope, ProtocolMap, Push, Reply, RequestName, RequestOf, ResponseOf } from './protocol';

/** Send a typed request to the background and get its typed answer. */
export async function sendMessage<K extends RequestName>(name: K, ...[data]: RequestOf<K> extends undefined ? [] : [RequestOf<K>]): Promise<ResponseOf<K>> {
  const envelope: Envelope<K> = { ic: 'request', name, data: data as RequestOf<K> };
  const reply = (await browser.runtime.sendMessage(envelope)) as Reply<K> | undefined;
  if (!reply) throw new Error(`No answer from the background for ${name}`);
  if (!reply.ok) throw new Error(reply.error);
  return reply.data;
}

/** Who sent a request (a content script's tab), as the browser tells the background. */
export interface Sender { tab?: { id?: number } }

export type Handlers = { [K in RequestName]: (data: RequestOf<K>, sender: Sender) => Promise<ResponseOf<K>> | ResponseOf<K> };

/**
 * Background side. Answers through sendResponse + `return true`: that style works both in
 * Chromium and in WXT's fake browser (a listener returning a Promise gets undefined there).
 */
export function serveMessages(handlers: Partial<Handlers>) {
  const listener = (message: unknown, sender: Sender | undefined, sendResponse: (r: Reply) => void) => {
    const m = message as Envelope | undefined;
    if (m?.ic !== 'request' || !(m.name in handlers)) return false;
    const handler = handlers[m.name] as (d: unknown, s: Sender) => unknown;
    Promise.resolve()
      .then(() => handler(m.data, sender ?? {}))
      .then((data) => sendResponse({ ok: true, data } as Reply), (err: unknown) => sendResponse({ ok: false, error: err instanceof Error ? err.message : String(err) }));
    return true;
  };
  browser.runtime.onMessage.addListener(listener as never);
  return () => browser.runtime.onMessage.removeListener(listener as never);
}

/** Background -> every tab's content script and every extension page. */
export async function broadcast(push: Push) {
  const message = { ic: 'push', push };
  await browser.runtime.sendMessage(message).catch(() => undefined);
  const tabs = await browser.tabs.query({}).catch(() => []);
  await Promise.all(tabs.map((t) => (t.id != null ? browser.tabs.sendMessage(t.id, message).catch(() => undefined) : undefined)));
}

export function onPush(listener: (push: Push) => void) {
  const l = (message: unknown) => {
    const m = message as { ic?: string; push?: Push };
    if (m?.ic === 'push' && m.push) listener(m.push);
    return false;
  };
  browser.runtime.onMessage.addListener(l as never);
  return () => browser.runtime.onMessage.removeListener(l as never);
}

export type { ProtocolMap };
