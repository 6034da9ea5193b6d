import { describe, expect, it } from 'vitest';
import { HttpError } from '../http-error';
import { answerText, declaredText, JSON_WITH_CHARSET } from './body-charset';

const jose = '{"name":"José €"}';

describe('declaredText', () => {
  it.each([
    ['application/json; charset=latin1', Buffer.from([...Buffer.from('{"name":"Jos'), 0xe9, 0x20, 0x80, ...Buffer.from('"}')])],
    ['application/json; charset=ISO-8859-1', Buffer.from([...Buffer.from('{"name":"Jos'), 0xe9, 0x20, 0x80, ...Buffer.from('"}')])],
    ['application/json;charset="windows-1252"', Buffer.from([...Buffer.from('{"name":"Jos'), 0xe9, 0x20, 0x80, ...Buffer.from('"}')])],
    ['application/json; charset=utf-16', Buffer.from(`\ufeff${jose}`, 'utf16le')],
    ['application/json; charset=UTF-16LE', Buffer.from(jose, 'utf16le')],
    ['application/json; charset=unicode-1-1-utf-8', Buffer.from(jose)],
    ['application/json; charset=""', Buffer.from(jose)],
  ])('%s → the text', (type, bytes) => {
    expect(declaredText(type, bytes)).toBe(jose);
  });

  it('refuses an unknown charset with a 415 naming it and saying to send UTF-8', () => {
    const err = declaredText('application/json; charset=klingon', Buffer.from(jose));
    expect(err).toBeInstanceOf(HttpError);
    expect(err).toMatchObject({ statusCode: 415, code: 'unsupported_charset' });
    expect((err as HttpError).message).toBe('The body\'s charset "klingon" is not supported; send the body as UTF-8 (Content-Type: application/json; charset=utf-8)');
  });

  it('refuses bytes that are not text in the declared charset (400), rather than replacing them', () => {
    const err = declaredText('application/json; charset=utf-16le', Buffer.from('{"a":1}')); // 7 bytes: half a UTF-16 unit left over
    expect(err).toMatchObject({ statusCode: 400, code: 'invalid_charset' });
  });
});

describe('JSON_WITH_CHARSET (against Fastify\'s normalised header)', () => {
  it.each([
    ['application/json; charset="latin1"', true],
    ['application/vnd.api+json; charset="windows-1252"', true],
    ['application/json; foo="bar"; charset="utf-16"', true],
    ['application/json; charset="utf-8"', false],
    ['application/json; charset="UTF8"', false],
    ['application/json', false],
    ['text/plain; charset="latin1"', false],
  ])('%s → %s', (type, matches) => {
    expect(JSON_WITH_CHARSET.test(type)).toBe(matches);
  });
});

// The answers to our own requests are read the same way, but never refused: a note says what happened.
describe('answerText', () => {
  const latin1 = Buffer.from([...Buffer.from('{"name":"Jos'), 0xe9, 0x20, 0x80, ...Buffer.from('"}')]);
  it.each([
    ['application/json; charset=iso-8859-1', latin1, jose, undefined],
    ['text/html; charset=windows-1252', latin1, jose, undefined],
    ['application/json', Buffer.from(jose), jose, undefined],
    ['application/json; charset=x-klingon', Buffer.from(jose), jose, 'The answer\'s charset "x-klingon" is unknown; it was read as UTF-8'],
    ['application/json; charset=shift_jis', Buffer.from([0x82]), '\ufffd', expect.stringMatching(/^The answer is not valid shift_jis text/)],
  ])('%s', (type, bytes, text, note) => {
    const read = answerText(type, bytes);
    expect(read.text).toBe(text);
    expect(read.note).toEqual(note);
  });
});
