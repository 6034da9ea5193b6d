// How Meta counts and bounds the choices a message offers. No zod here: the options page, the
// inbox page and the server all import it.
//
// Meta's pages give every limit in "characters" and say emoji are allowed in a title (WhatsApp's
// reply button: "Emojis are supported, markdown is not. Maximum length of 20 characters",
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages,
// the same in Meta's WhatsApp-Nodejs-SDK ButtonObject). A person counts 👍 or 👍🏽 as one
// character; String#length counts UTF-16 units (👍 is 2, 👍🏽 4) and zod's max code points (👍🏽 is 2),
// so a reply of 1,500 emoji was refused as 3,000 characters on Messenger and "👍🏽👍🏽👍🏽👍🏽👍🏽 Excellent!"
// (16 characters) as a 21-character button title.

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * User-perceived characters (grapheme clusters): an emoji with its skin tone or a family joined by
 * ZWJ is one, as is a letter with its combining accents. Text below U+0300 (Latin, no combining
 * marks, no surrogates) is its `length`, counted without segmenting.
 */
export function metaLength(text: string): number {
  if (!/[^\u0000-\u02ff]/.test(text)) return text.length;
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

/**
 * What each way of offering choices holds: so many at most, titles of at most so many characters.
 * - WhatsApp reply buttons: up to 3, title ≤ 20 (the reply-buttons page above).
 * - WhatsApp list: up to 10 rows in all, row title ≤ 24
 *   (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages).
 * - Messenger quick replies: up to 13, title ≤ 20 ("up to 13 quick reply buttons",
 *   https://developers.facebook.com/docs/messenger-platform/send-messages/quick-replies; a longer
 *   title is shown cut: "up to 20 characters before being truncated", the Instagram page of the same API).
 */
export const CHOICE_LIMITS = {
  whatsapp_buttons: { max: 3, title: 20, what: 'WhatsApp reply buttons' },
  whatsapp_list: { max: 10, title: 24, what: 'WhatsApp lists' },
  messenger_quick_replies: { max: 13, title: 20, what: 'Messenger quick replies' },
} as const;
export type ChoiceShape = keyof typeof CHOICE_LIMITS;

/** The most a Send message may carry, and the longest title: what a WhatsApp list holds, the roomiest shape. */
export const SEND_BUTTONS_MAX = CHOICE_LIMITS.whatsapp_list.max;
export const SEND_BUTTON_TITLE_MAX = CHOICE_LIMITS.whatsapp_list.title;

export const choicesFit = (shape: ChoiceShape, titles: readonly string[]): boolean =>
  titles.length <= CHOICE_LIMITS[shape].max && titles.every((t) => metaLength(t) <= CHOICE_LIMITS[shape].title);

/** Why the titles do not fit the shape, naming its limit and what is over it; null when they fit. */
export function choicesMisfit(shape: ChoiceShape, titles: readonly string[]): string | null {
  const { max, title, what } = CHOICE_LIMITS[shape];
  if (titles.length > max) return `${what} hold at most ${max} (this message has ${titles.length})`;
  const long = titles.find((t) => metaLength(t) > title);
  return long === undefined ? null : `${what} have titles of at most ${title} characters ("${long}" has ${metaLength(long)})`;
}
