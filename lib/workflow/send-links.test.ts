import { describe, expect, it } from 'vitest';
import { SendMessageConfig } from '../contracts/steps';
import { sendLinkProblems } from './send-links';

const paths = (config: unknown) => sendLinkProblems(SendMessageConfig.parse(config)).map(([path]) => path.join('.'));
const header = (url: string) => ({ name: 'n', language: 'en_US', header: { type: 'image', url } });
const card = (url: string) => ({ header: { type: 'image', url } });

describe('sendLinkProblems', () => {
  it.each([
    ['an https file', { kind: 'media', media: { type: 'image', url: 'https://cdn.example.com/a.png' } }, []],
    ['a file from variables', { kind: 'media', media: { type: 'image', url: '{{$trigger.url}}' } }, []],
    ['a javascript: file', { kind: 'media', media: { type: 'image', url: 'javascript:alert(1)' } }, ['media.url']],
    ['an http file', { kind: 'media', media: { type: 'video', url: 'http://cdn.example.com/a.mp4' } }, ['media.url']],
    ['a leftover file on a text message (never sent)', { text: 'Hi', media: { type: 'image', url: 'javascript:x' } }, []],
    ['a template header', { kind: 'template', template: header('data:image/png;base64,AA') }, ['template.header.url']],
    ['a fallback template header', { text: 'Hi', fallbackTemplate: header('http://x/a.png') }, ['fallbackTemplate.header.url']],
    ['carousel cards', { kind: 'template', template: { name: 'n', language: 'en_US', carousel: { cards: [card('https://x/1.png'), card('ftp://x/2.png')] } } }, ['template.carousel.cards.1.header.url']],
  ])('%s', (_what, config, expected) => {
    expect(paths(config)).toEqual(expected);
  });
});
