import { describe, expect, it } from 'vitest';
import { liveMessageOf, SseParser } from './live';

const parse = (chunks: string[]) => {
  const events: [string, string][] = [];
  const parser = new SseParser((e, d) => events.push([e, d]));
  for (const c of chunks) parser.push(c);
  return events;
};

describe('SseParser', () => {
  it.each([
    ['one event', ['event: a\ndata: {"x":1}\n\n'], [['a', '{"x":1}']]],
    ['split across chunks', ['ev', 'ent: a\nda', 'ta: 1\n', '\n'], [['a', '1']]],
    ['CRLF and CR line ends', ['data: 1\r\n\r\ndata: 2\r\r'], [['message', '1'], ['message', '2']]],
    ['comments, retry and heartbeats ignored', ['retry: 3000\n: connected\n\n: heartbeat\n\n'], []],
    ['multi-line data joined', ['data: a\ndata: b\n\n'], [['message', 'a\nb']]],
    ['no dispatch before the blank line', ['data: 1\n'], []],
  ])('%s', (_name, chunks, expected) => {
    expect(parse(chunks)).toEqual(expected);
  });
});

describe('liveMessageOf', () => {
  it.each([
    ['definitions.changed', '{"type":"definitions.changed","version":"v2"}', { type: 'definitions.changed', version: 'v2' }],
    ['restrictions.changed', '{"version":"r1"}', { type: 'restrictions.changed', version: 'r1' }],
    ['run.updated', '{"type":"run.updated","runId":"r","workflowId":"w","status":"failed","error":"boom"}',
      { type: 'run.updated', runId: 'r', workflowId: 'w', status: 'failed', error: 'boom' }],
    ['message', 'not json', undefined],
    ['something.else', '{"type":"something.else"}', undefined],
  ])('%s %s', (event, data, expected) => {
    expect(liveMessageOf(event, data)).toEqual(expected);
  });
});
