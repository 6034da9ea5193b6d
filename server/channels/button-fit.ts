import { CHOICE_LIMITS, choicesFit, choicesMisfit } from '../../lib/contracts/choice-limits';
import type { SendSpec } from './send-spec';

/**
 * A Send message's buttons as the channel can carry them. WhatsApp: up to 3 titles of ≤ 20
 * characters go as reply buttons; more (up to 10) or longer (≤ 24) go as a list message, its
 * button opening the rows, as respond.io sends them; beyond that the step fails naming both
 * limits, before Meta is asked (Meta would refuse the whole message). Messenger: quick replies,
 * up to 13, or the step fails naming that limit; a title past 20 characters is sent, Messenger
 * shows it cut ("up to 20 characters before being truncated",
 * https://developers.facebook.com/docs/messenger-platform/instagram/features/quick-replies/), and
 * the step says so. Limits and how Meta counts characters: lib/contracts/choice-limits.ts.
 */
export function fitButtons(kind: 'whatsapp' | 'messenger', spec: SendSpec): { spec: SendSpec; notes: string[] } | { error: string } {
  if (spec.kind !== 'buttons' && spec.kind !== 'list') return { spec, notes: [] };
  const titles = (spec.buttons ?? []).map((b) => b.title);
  if (kind === 'messenger') {
    const misfit = choicesMisfit('messenger_quick_replies', titles);
    if (misfit && titles.length > CHOICE_LIMITS.messenger_quick_replies.max) return { error: `${misfit}: remove buttons` };
    return { spec, notes: misfit ? [`${misfit}: Messenger shows it cut`] : [] };
  }
  if (spec.kind === 'list') {
    const misfit = choicesMisfit('whatsapp_list', titles);
    return misfit ? { error: `${misfit}: shorten or remove choices` } : { spec, notes: [] };
  }
  const asButtons = choicesMisfit('whatsapp_buttons', titles);
  if (!asButtons) return { spec, notes: [] };
  if (choicesFit('whatsapp_list', titles)) {
    return { spec: { ...spec, kind: 'list' }, notes: [`${asButtons}: sent as a list message`] };
  }
  return { error: `${asButtons}, and ${choicesMisfit('whatsapp_list', titles)}: shorten or remove buttons` };
}
