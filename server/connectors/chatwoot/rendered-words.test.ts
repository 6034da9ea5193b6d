import { describe, expect, it } from 'vitest';
import { htmlToText } from './payloads';
import { sameAsRendered } from './rendered-words';

// `content` as Chatwoot's renderers give it for an older message (markdown_renderer_service.rb):
// HTML for a web inbox (read back by htmlToText, as message-edit.ts does), WhatsApp's and
// Instagram's markup (markdown_renderers/whats_app_renderer.rb, instagram_renderer.rb).
const html = (s: string) => htmlToText(s);
const long = '**Line** '.repeat(600).trim();

describe('a rendering of the stored words is no edit', () => {
  it.each([
    ['emphasis and quotes, web', 'Table for **2-3** people, "ASAP"!', html('<p>Table for <strong>2-3</strong> people, &quot;ASAP&quot;!</p>\n')],
    ['emphasis and quotes, WhatsApp', 'Table for **2-3** people, "ASAP"!', 'Table for *2-3* people, "ASAP"!'],
    ['a numbered list, WhatsApp', '1. Pizza\n2. Coke *please*', '- Pizza\n- Coke _please_'],
    ['a numbered list, web', '1. Pizza\n2. Coke *please*', html('<ol>\n<li>Pizza</li>\n<li>Coke <em>please</em></li>\n</ol>\n')],
    ['code, Instagram', '1. Pizza\n2. Coke `XL`', '1. Pizza\n2. Coke XL'],
    ['a link, web', 'Send to [my shop](https://shop.example/a?b=1), please!', html('<p>Send to <a href="https://shop.example/a?b=1" target="_blank" rel="noopener noreferrer nofollow">my shop</a>, please!</p>\n')],
    ['a link, WhatsApp', 'Send to [my shop](https://shop.example/a?b=1), please!', 'Send to https://shop.example/a?b=1, please!'],
    ['an autolink, web', 'Track <https://t.example/1>.', html('<p>Track <a href="https://t.example/1">https://t.example/1</a>.</p>\n')],
    ['a heading and a quote, web', '## Order #12\n> "no onions"', html('<h2>Order #12</h2>\n<blockquote>\n<p>&quot;no onions&quot;</p>\n</blockquote>\n')],
    ['a heading and a quote, WhatsApp', '## Order #12\n> "no onions"', 'Order #12\n> "no onions"'],
    ['escapes, WhatsApp', '1\\. Not a list, \\*really\\*', '1. Not a list, *really*'],
    ['HTML the customer typed, web', 'Size <b>M</b> please', html('<p>Size <!-- raw HTML omitted -->M<!-- raw HTML omitted --> please</p>\n')],
    ['HTML the customer typed, WhatsApp', 'Size <b>M</b> please', 'Size M please'],
    ['strikethrough, web', '~~5pm~~ 6pm; ok?', html('<p><del>5pm</del> 6pm; ok?</p>\n')],
    ['a rule and line breaks, Instagram', 'Line one\nLine two\n\n---\nBye.', 'Line one Line two\nBye.'],
    ['stored cut at 4,096, rendered whole', long.slice(0, 4096), html(`<p>${'<strong>Line</strong> '.repeat(600).trim()}</p>\n`)],
  ])('%s', (_what, stored, rendered) => {
    expect(sameAsRendered(rendered, stored)).toBe(true);
  });
});

describe('an edit of an older message is one, punctuation alone included', () => {
  it.each([
    ['a dash taken out, web', 'Table for 2-3 people', html('<p>Table for 23 people</p>\n')],
    ['a time\'s separator, WhatsApp', 'Pick up at 5.30', 'Pick up at 5:30'],
    ['a comma and a full stop, Instagram', 'No, thanks.', 'No thanks!'],
    ['a word, web', 'Deliver to Main St 5', html('<p>Deliver to Main St 7</p>\n')],
    ['a link\'s address, WhatsApp', 'Send to [shop](https://a.example/1)', 'Send to https://a.example/2'],
  ])('%s', (_what, stored, rendered) => {
    expect(sameAsRendered(rendered, stored)).toBe(false);
  });
});
