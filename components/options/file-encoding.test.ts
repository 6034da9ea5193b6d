import { describe, expect, it } from 'vitest';
import { decodeFile } from './file-encoding';

// "José;São Paulo" as Excel on Windows saves it (Windows-1252), and as UTF-8.
const cp1252 = Uint8Array.from([0x4a, 0x6f, 0x73, 0xe9, 0x3b, 0x53, 0xe3, 0x6f, 0x20, 0x50, 0x61, 0x75, 0x6c, 0x6f, 0x20, 0x80]);
const utf8 = new TextEncoder().encode('José;São Paulo €');

describe('decodeFile', () => {
  it('reads valid UTF-8 as UTF-8, with or without its byte order mark', () => {
    expect(decodeFile(utf8)).toEqual({ text: 'José;São Paulo €', encoding: 'utf-8', notUtf8: false });
    expect(decodeFile(Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({ text: 'José;São Paulo €', encoding: 'utf-8', notUtf8: false });
  });
  it('reads bytes that are not UTF-8 as Windows-1252, saying so', () => {
    expect(decodeFile(cp1252)).toEqual({ text: 'José;São Paulo €', encoding: 'windows-1252', notUtf8: true });
  });
  it('reads the encoding chosen, and UTF-16 by its byte order mark', () => {
    expect(decodeFile(cp1252, 'iso-8859-15').text).toBe('José;São Paulo \u0080');
    expect(decodeFile(Uint8Array.from([0x8e]), 'macintosh').text).toBe('é');
    const utf16 = Uint8Array.from([0xff, 0xfe, ...[...'Zoë'].flatMap((c) => [c.charCodeAt(0), 0])]);
    expect(decodeFile(utf16)).toEqual({ text: 'Zoë', encoding: 'utf-16le', notUtf8: false });
  });
});
