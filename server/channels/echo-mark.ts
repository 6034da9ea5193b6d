// Meta echoes every message a Page sends (message_echoes), ours too, and the echo may come before
// the Send API's answer has given us the message's id: matched by that id alone, it was stored as
// a second message, and then our own message could not take its id (unique per channel), so the
// reply failed though the customer had it. Our sends carry our message's id in `message.metadata`
// ("Custom string that is delivered as a message echo", 1,000 characters at most:
// https://developers.facebook.com/docs/messenger-platform/reference/send-api/), which the echo
// gives back (https://developers.facebook.com/docs/messenger-platform/reference/webhook-events/message-echoes).

const PREFIX = 'inbox-companion:';

/** The metadata a send of our message `messageId` carries. */
export const echoMark = (messageId: string) => `${PREFIX}${messageId}`;

/** Our message's id named by an echo's metadata; null for a message another tool sent. */
export const markedMessageId = (metadata: string | null | undefined): string | null =>
  metadata?.startsWith(PREFIX) ? metadata.slice(PREFIX.length) || null : null;
