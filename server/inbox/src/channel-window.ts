import { fullTime, shortTime } from './dom.js';
import type { ChannelWindow } from './wire.js';

// What Meta lets through to the customer right now, said above the composer before the agent
// types. A closed window blocks Send (notes still work), except on Messenger up to 7 days, where
// a person's reply goes as a Human Agent reply; on WhatsApp Templates is the way then.

const CHANNEL_NAMES: Record<string, string> = { whatsapp: 'WhatsApp', messenger: 'Messenger' };

/** Messenger past its 24-hour window but within 7 days: a person's reply still goes, tagged HUMAN_AGENT. */
export const humanAgentReply = (channel: ChannelWindow) => Boolean(!channel.open && channel.kind === 'messenger' && channel.humanAgentUntil);

export function channelWindowText(channel: ChannelWindow): string {
  const name = CHANNEL_NAMES[channel.kind] ?? channel.kind;
  const text = channel.open
    ? `${name}: replies go to the customer (24-hour window open until ${shortTime(channel.closesAt)})`
    : humanAgentReply(channel)
      ? `${name}: the 24-hour window is closed, so your reply is sent as a Human Agent reply (Meta allows it up to 7 days after the customer’s last message: until ${fullTime(channel.humanAgentUntil)})`
      : channel.kind === 'whatsapp'
        ? `${name}: ${channel.note ?? 'the 24-hour window is closed'}. Send a template (Templates).`
        : `${name}: more than 7 days since the customer last wrote, so Meta takes no reply until they write again`;
  // Sends still go (the admin may have fixed it in Meta); the agent knows why one fails.
  return channel.problem ? `${text}. Sending is failing: ${channel.problem}` : text;
}
