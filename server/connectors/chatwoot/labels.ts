import { applyTags, hasTag, tagFold } from '../../../lib/workflow/tags';
import { changeTags, getContact } from '../../domain/contacts';
import type { ConnectorCall, ConnectorOutput } from '../registry';
import type { ConversationState } from './mirror-conversation';
import { loadObject } from './objects';
import { guarded, session, setMirrorState, type Session } from './session';

/**
 * Labels: POST …/labels replaces the whole list. Read it until two reads agree (an agent or
 * automation changing it meanwhile is seen), write the union / difference, and keep what Chatwoot
 * answers; labels the account does not define are dropped by Chatwoot and said so.
 */
async function writeLabels(s: Session, action: 'add' | 'remove', tags: string[]) {
  let current = await s.api.labels(s.displayId);
  for (let i = 0; i < 5; i++) {
    const again = await s.api.labels(s.displayId);
    const stable = again.length === current.length && again.every((l) => current.includes(l));
    current = again;
    if (stable) break;
  }
  // Chatwoot account labels are lowercase and a posted label must match one exactly
  // (Label#before_validation, LabelConcern#valid_labels); a tag is the label in any case.
  const target = applyTags(current, action, action === 'add' ? tags.map(tagFold) : tags).tags;
  const unchanged = target.length === current.length && target.every((l) => current.includes(l));
  const answer = unchanged ? current : await s.api.setLabels(s.displayId, target);
  return { before: current, after: answer };
}

const quoted = (list: string[]) => list.map((t) => `"${t}"`).join(', ');

/**
 * The Update Contact Tag step on a Chatwoot conversation. Labels belong to one Chatwoot
 * conversation, tags to the contact: the conversation's labels are written as far as Chatwoot
 * allows, and the contact's tags change as the step says whatever those labels were. So removing
 * a tag that came from an earlier conversation (or the tag that started the workflow, which is
 * no label at all) takes it off the contact, and an added tag the account has no label for is
 * the contact's all the same (said in the log): workflows branch and trigger on the contact's tags.
 */
export async function changeLabelsAndTags(call: ConnectorCall, { action, tags }: { action: 'add' | 'remove'; tags: string[] }): Promise<ConnectorOutput> {
  const s = session(call);
  return s.once(() => guarded(s, async () => {
    const { before, after } = await writeLabels(s, action, tags);
    const labelsChanged = action === 'add' ? after.filter((l) => !before.includes(l)) : before.filter((l) => !after.includes(l));
    const refused = action === 'add' ? tags.filter((t) => !hasTag(after, t)) : [];
    if (refused.length) {
      call.note(`Chatwoot kept no label ${quoted(refused)}: the account does not define ${refused.length > 1 ? 'them' : 'it'} (Chatwoot → Settings → Labels); the contact has the tag in the companion only`);
    }
    // An added tag is the contact's in the casing of the label Chatwoot holds (as a label set in
    // Chatwoot arrives), else as the step gave it.
    const asTags = action === 'add' ? tags.map((t) => after.find((l) => tagFold(l) === tagFold(t)) ?? t) : tags;
    const changed = await s.mirror(async (ctx) => {
      const contact = await getContact(ctx.uow.trx, call.conversation.contactId);
      const { changed: tagsChanged } = applyTags(contact.tags, action, asTags);
      if (tagsChanged.length) await changeTags(ctx.uow, ctx.services, contact.id, action, asTags, s.cause, contact);
      const offConversation = action === 'remove' ? tagsChanged.filter((t) => !hasTag(before, t)) : [];
      if (offConversation.length) call.note(`Not a label of Chatwoot conversation ${s.displayId}: ${quoted(offConversation)}; removed from the contact in the companion`);
      // Only this step's change counts as applied: labels someone else set meanwhile still
      // arrive (webhook or reconcile) as changes, and become tags then.
      const stored = await loadObject<ConversationState>(ctx.uow.trx, s.conn.row.id, 'conversation', s.displayId);
      const known = stored?.state.labels ?? before;
      await setMirrorState(ctx, s.displayId, { labels: action === 'add' ? [...new Set([...known, ...labelsChanged])] : known.filter((l) => !labelsChanged.includes(l)) });
      return tagsChanged;
    });
    return { action, changed, labels: after, labelsChanged, chatwoot: s.logged() };
  }));
}
