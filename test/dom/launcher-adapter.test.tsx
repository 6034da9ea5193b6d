import { describe, expect, it, vi } from 'vitest';
import { builtinAdapter } from '../../lib/extension/adapters/builtin';
import { watchPage } from '../../lib/extension/adapters/watch';

// The built-in inbox's page adapter reads a document given to it: plain DOM, no mocks.

function inbox(html: string) {
  const doc = document.implementation.createHTMLDocument('inbox');
  doc.body.innerHTML = html;
  return doc;
}

const conversation = (id: string) => `
  <section data-conversation-id="${id}">
    <form><textarea aria-label="Message"></textarea><div data-composer-toolbar><button>Note</button></div></form>
  </section>`;

const here = new URL('http://127.0.0.1:8787/inbox/c/c_1');
const flush = () => new Promise((r) => setTimeout(r, 0));

/** A window-like object over a detached document, for the watcher. */
function fakeWindow(doc: Document): Window {
  return Object.assign(new EventTarget(), {
    document: doc, location: { href: here.href }, setInterval: window.setInterval.bind(window), clearInterval: window.clearInterval.bind(window),
  }) as unknown as Window;
}

describe('built-in inbox adapter', () => {
  it('finds the toolbar, the open conversation and the composer', () => {
    const doc = inbox(`<ul><li data-conversation-id="other">Other</li></ul>${conversation('c_1')}`);
    expect(builtinAdapter.toolbarAnchor(doc)?.textContent).toBe('Note');
    expect(builtinAdapter.conversationRef(doc, here)).toEqual({ conversationId: 'c_1' });
    expect(builtinAdapter.focusTarget(doc)?.getAttribute('aria-label')).toBe('Message');
  });

  it.each([
    ['no conversation open', '<div data-composer-toolbar></div>', null],
    ['an empty id', '<section data-conversation-id=""><div data-composer-toolbar></div></section>', null],
  ])('reads %s as no conversation', (_why, html, expected) => {
    expect(builtinAdapter.conversationRef(inbox(html), here)).toBe(expected);
  });

  it.each([
    ['http://127.0.0.1:8787/inbox', true],
    ['http://127.0.0.1:8787/inbox/c/abc', true],
    ['http://127.0.0.1:8787/inboxes', false],
    ['https://chat.example.com/app/accounts/1/conversations/2', false],
  ])('recognises %s as the built-in inbox: %s', (url, expected) => {
    expect(builtinAdapter.matches(new URL(url))).toBe(expected);
  });

  it('reports a switched conversation and a replaced toolbar, and stops on abort', async () => {
    const doc = inbox(conversation('c_1'));
    const listener = vi.fn();
    const controller = new AbortController();
    watchPage(builtinAdapter, fakeWindow(doc), listener, { signal: controller.signal });
    expect(listener).toHaveBeenLastCalledWith({ anchor: builtinAdapter.toolbarAnchor(doc), ref: { conversationId: 'c_1' } }, null);

    doc.querySelector('section')!.setAttribute('data-conversation-id', 'c_2');
    await flush();
    expect(listener).toHaveBeenCalledTimes(2);
    expect(listener.mock.lastCall![0].ref).toEqual({ conversationId: 'c_2' });

    const before = builtinAdapter.toolbarAnchor(doc);
    doc.body.innerHTML = conversation('c_2');
    await flush();
    expect(listener).toHaveBeenCalledTimes(3);
    expect(listener.mock.lastCall![0].anchor).not.toBe(before);
    expect(listener.mock.lastCall![0].anchor).toBe(builtinAdapter.toolbarAnchor(doc));

    // Our own shadow host appearing in the toolbar changes nothing.
    builtinAdapter.toolbarAnchor(doc)!.append(doc.createElement('inbox-companion-launcher'));
    await flush();
    expect(listener).toHaveBeenCalledTimes(3);

    controller.abort();
    doc.body.innerHTML = conversation('c_3');
    await flush();
    expect(listener).toHaveBeenCalledTimes(3);
  });
});
