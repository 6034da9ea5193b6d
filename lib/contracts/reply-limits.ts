// How long a reply may be where it goes, said the same in the inbox's composer (before sending)
// and in the server's refusal (MessageBody, send-spec.ts). No zod here: the inbox page imports it.
// WhatsApp: a text message's body is at most 4,096 characters
// (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages, text object `body`).
// Messenger: the Send API's `message.text` "must be UTF-8 and has a 2000 character limit"
// (https://developers.facebook.com/docs/messenger-platform/reference/send-api/, message properties).
// WhatsApp: a media message's caption is at most 1,024 characters
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/image-messages/,
// the same on the video and document pages).
// WhatsApp: an interactive reply-button message's body is at most 1,024 characters
// (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages;
// SDKs built on the Cloud API check the same, e.g. whatsapp-api-js's Body: "Maximum length: 1024").
// Counted as Meta counts characters, an emoji one (choice-limits.ts metaLength): counted in UTF-16
// units, a reply of 2,100 emoji was refused for Messenger's 2,000 ("yours has 4,200").

export type ReplyPlace = 'whatsapp' | 'whatsapp_caption' | 'whatsapp_buttons' | 'messenger' | 'note' | 'message';

/** What the API stores at most in a message or note, whatever its channel (MessageBody). */
export const MESSAGE_MAX = 4096;

export const REPLY_LIMITS: Record<ReplyPlace, number> = { whatsapp: 4096, whatsapp_caption: 1024, whatsapp_buttons: 1024, messenger: 2000, note: MESSAGE_MAX, message: MESSAGE_MAX };

const WHAT: Record<ReplyPlace, string> = { whatsapp: 'WhatsApp messages', whatsapp_caption: 'WhatsApp captions', whatsapp_buttons: 'WhatsApp reply-button messages', messenger: 'Messenger messages', note: 'Notes', message: 'Messages' };

const count = (n: number) => n.toLocaleString('en-US');

/** "WhatsApp messages can be at most 4,096 characters (yours has 5,000)"; null within the limit. */
export function replyTooLong(place: ReplyPlace, length: number, whose = 'yours'): string | null {
  const max = REPLY_LIMITS[place];
  return length > max ? `${WHAT[place]} can be at most ${count(max)} characters (${whose} has ${count(length)})` : null;
}

/**
 * A Send message with reply buttons whose body WhatsApp would refuse, said when the workflow is
 * published (lib/workflow/button-body.ts) in the words send-spec.ts refuses it with when a run sends it.
 */
export const buttonBodyTooLong = (length: number, whose = 'this one'): string | null => {
  const long = replyTooLong('whatsapp_buttons', length, whose);
  return long && `${long}: shorten it`;
};

/** The composer's counter once a reply nears its limit ("3,700 / 4,096"); null well below it. */
export function replyCounter(place: ReplyPlace, length: number): string | null {
  const max = REPLY_LIMITS[place];
  return length >= max * 0.9 ? `${count(length)} / ${count(max)}` : null;
}
