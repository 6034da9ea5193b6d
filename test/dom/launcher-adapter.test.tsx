import { describe, expect, it, vi } from 'vitest';
import { composerInput, currentConversationId, findToolbar, watchInbox } from '../../lib/extension/inbox-adapter';

// The inbox adapter reads a document given to it: plain DOM, no mocks.

function inbox(html: string) {
  const doc = document.implementation.createHTMLDocument('inbox');
  doc.body.innerHTML = html;
  return doc;
}

const conversation = (id: string) => `
  <section data-conversation-id="${id}">
    <form><textarea aria-label="Message"></textarea><div data-composer-toolbar><button>Note</button></div></form>
  </section>`;

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('inbox adapter', () => {
  it('finds the toolbar, the open conversation and the composer', () => {
    const doc = inbox(`<ul><li data-conversation-id="other">Other</li></ul>${conversation('c_1')}`);
    expect(findToolbar(doc)?.textContent).toBe('Note');
    expect(currentConversationId(doc)).toBe('c_1');
    expect(composerInput(doc)?.getAttribute('aria-label')).toBe('Message');
  });

  it.each([
    ['no conversation open', '<div data-composer-toolbar></div>', null],
    ['an empty id', '<section data-conversation-id=""><div data-composer-toolbar></div></section>', null],
  ])('reads %s as no conversation', (_why, html, expected) => {
    expect(currentConversationId(inbox(html))).toBe(expected);
  });

  it('reports a switched conversation and a replaced toolbar, and stops on abort', async () => {
    const doc = inbox(conversation('c_1'));
    const listener = vi.fn();
    const controller = new AbortController();
    watchInbox(doc, listener, { signal: controller.signal });
    expect(listener).toHaveBeenLastCalledWith({ toolbar: findToolbar(doc), conversationId: 'c_1' }, null);

    doc.querySelector('section')!.setAttribute('data-conversation-id', 'c_2');
    await flush();
    expect(listener).toHaveBeenCalledTimes(2);
    expect(listener.mock.lastCall![0].conversationId).toBe('c_2');

    const before = findToolbar(doc);
    doc.body.innerHTML = conversation('c_2');
    await flush();
    expect(listener).toHaveBeenCalledTimes(3);
    expect(listener.mock.lastCall![0].toolbar).not.toBe(before);
    expect(listener.mock.lastCall![0].toolbar).toBe(findToolbar(doc));

    // Our own shadow host appearing in the toolbar changes nothing.
    findToolbar(doc)!.append(doc.createElement('inbox-companion-launcher'));
    await flush();
    expect(listener).toHaveBeenCalledTimes(3);

    controller.abort();
    doc.body.innerHTML = conversation('c_3');
    await flush();
    expect(listener).toHaveBeenCalledTimes(3);
  });
});
