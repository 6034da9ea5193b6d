import { describe, expect, it } from 'vitest';
import { decodeMessageCursor, encodeMessageCursor, MessagePageQuery } from './conversation-messages';
import { ConversationQuery, decodeConversationCursor, encodeConversationCursor } from './conversations';

// One `<time>~<id>` codec (time-id-cursor.ts) for conversations and a thread's messages: the
// cursors clients hold (a sync job's saved nextCursor) read exactly as before, and what the
// server could not have given is still a 422.

const MSG = 'msg_01JD3C2Q8V8N4B1ZK6Y0X9W7T5';
const CNV = 'cnv_01JD3C2Q8V8N4B1ZK6Y0X9W7T5';
const AT = '2025-11-20T09:15:02.123Z';

describe('message cursors', () => {
  it('are written `<createdAt>~<id>` and read back', () => {
    expect(encodeMessageCursor({ at: AT, id: MSG })).toBe(`${AT}~${MSG}`);
    expect(decodeMessageCursor(`${AT}~${MSG}`)).toEqual({ at: AT, id: MSG });
    expect(decodeMessageCursor(`2025-11-20T09:15:02+01:00~${MSG}`)).toEqual({ at: '2025-11-20T09:15:02+01:00', id: MSG });
  });

  it.each([
    ['a conversation id', `${AT}~${CNV}`],
    ['a cut id', `${AT}~${MSG.slice(0, -1)}`],
    ['a lower-case ULID', `${AT}~${MSG.toLowerCase()}`],
    ['no time', `~${MSG}`],
    ['a date only', `2025-11-20~${MSG}`],
    ['two cursors', `${AT}~${MSG}~${AT}~${MSG}`],
    ['something after', `${AT}~${MSG} `],
  ])('refuse %s (422)', (_what, cursor) => {
    expect(decodeMessageCursor(cursor)).toBeNull();
    expect(MessagePageQuery.safeParse({ cursor }).success).toBe(false);
  });
});

describe('conversation cursors', () => {
  it('are written `<lastActivityAt>~<id>` and read back, ids of any letters (as before)', () => {
    expect(encodeConversationCursor({ at: AT, id: CNV })).toBe(`${AT}~${CNV}`);
    expect(decodeConversationCursor(`${AT}~cnv_abc123`)).toEqual({ at: AT, id: 'cnv_abc123' });
    expect(ConversationQuery.safeParse({ cursor: `${AT}~${CNV}` }).success).toBe(true);
  });

  it.each([
    ['a message id', `${AT}~${MSG}`],
    ['an id too long', `${AT}~cnv_${'a'.repeat(61)}`],
    ['no time', `~${CNV}`],
    ['two cursors', `${AT}~${CNV}~${AT}~${CNV}`],
  ])('refuse %s (422)', (_what, cursor) => {
    expect(decodeConversationCursor(cursor)).toBeNull();
    expect(ConversationQuery.safeParse({ cursor }).success).toBe(false);
  });
});
