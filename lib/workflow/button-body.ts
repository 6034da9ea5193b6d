import { metaLength } from '../contracts/choice-limits';
import { buttonBodyTooLong, REPLY_LIMITS } from '../contracts/reply-limits';
import type { SendMessageConfigValue } from '../contracts/steps';
import { renderTemplate } from './template';

/** The channels that send a Send message's reply buttons as buttons (elsewhere they are stored as text). */
export type ButtonChannel = 'whatsapp' | 'messenger';

/**
 * How long the text above reply buttons may be on each channel, as our sends carry it:
 * WhatsApp's interactive reply-button body holds 1,024 characters (reply-limits.ts cites Meta's
 * page); on Messenger the buttons go as quick replies on a text message (send-spec.ts
 * messengerBody), whose `text` holds the Send API's 2,000
 * (https://developers.facebook.com/documentation/business-messaging/messenger-platform/send-messages/quick-replies,
 * https://developers.facebook.com/docs/messenger-platform/reference/send-api/). Messenger's button
 * template would hold only 640 ("UTF-8-encoded text of up to 640 characters",
 * https://developers.facebook.com/documentation/business-messaging/messenger-platform/send-messages/template/button):
 * not used, so not the limit.
 */
export const BUTTON_TEXT_MAX: Record<ButtonChannel, number> = { whatsapp: REPLY_LIMITS.whatsapp_buttons, messenger: REPLY_LIMITS.messenger };

const count = (n: number) => n.toLocaleString('en-US');

/** Quick replies' text Meta would refuse, said the same at publish (Messenger only) and when a run sends it (send-spec.ts). */
export const messengerButtonTextTooLong = (length: number, whose = 'this one'): string | null =>
  length > BUTTON_TEXT_MAX.messenger ? `Messenger messages with reply buttons (quick replies) can be at most ${count(BUTTON_TEXT_MAX.messenger)} characters (${whose} has ${count(length)}): shorten it` : null;

/**
 * A Send message with reply buttons whose body no channel connected here could send (with none
 * connected yet: neither WhatsApp nor Messenger), refused at publish. A body that only some of
 * them take is published: a run on the other channel fails its step saying that channel's limit
 * (send-spec.ts textTooLong), as respond.io checks a message against the channel it goes out on.
 * The refusal says what each channel takes. A variable renders at least empty, so the text with
 * every variable empty is the least any run sends; what the variables add is known only when it is
 * sent. Not a refinement of SendMessageConfig: a stored workflow over the limit must still load,
 * and a draft still save.
 */
export function buttonBodyProblem(config: SendMessageConfigValue, index: number, id: string, connected: readonly ButtonChannel[] = []): string | undefined {
  if (config.kind !== 'buttons' || !config.text) return undefined;
  const least = renderTemplate(config.text, {}).text;
  const length = metaLength(least);
  const withVariables = least !== config.text;
  const whose = `step ${index + 1} ("${id}")${withVariables ? ' with its variables empty' : ''}`;
  const channels: ButtonChannel[] = connected.length ? [...new Set(connected)] : ['whatsapp', 'messenger'];
  if (channels.some((c) => length <= BUTTON_TEXT_MAX[c])) return undefined;
  // Only WhatsApp: in the words of its refusal at send time.
  if (channels.length === 1 && channels[0] === 'whatsapp') return buttonBodyTooLong(length, whose) ?? undefined;
  if (channels.length === 1) return messengerButtonTextTooLong(length, whose) ?? undefined;
  return `Messages with reply buttons can be at most ${count(BUTTON_TEXT_MAX.whatsapp)} characters on WhatsApp and ${count(BUTTON_TEXT_MAX.messenger)} on Messenger (quick replies) (${whose} has ${count(length)}): no channel could send it; shorten it`;
}
