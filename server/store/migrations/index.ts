import type { Migration } from 'kysely/migration';
import { foundation } from './001-foundation';
import { engine } from './002-engine';
import { integrations } from './003-integrations';
import { runClaims } from './005-run-claims';
import { appSigningSecrets } from './006-app-signing-secrets';
import { channelIdentities } from './007-channel-identities';
import { runQueueHeads } from './008-run-queue-heads';
import { runsDueByState } from './009-runs-due-by-state';
import { eventRunIds } from './010-event-run-ids';
import { connections } from './011-connections';
import { metaChannels } from './012-meta-channels';
import { adsSync } from './013-ads-sync';
import { chatwoot } from './020-chatwoot';
import { idempotencyRequestHash } from './040-idempotency-request-hash';
import { webhookTokenHash } from './041-webhook-token-hash';
import { botUsers } from './030-bot-users';
import { contactLifecycle } from './031-contact-lifecycle';
import { questionWaits } from './032-question-waits';
import { inboxSignIn } from './060-inbox-sign-in';
import { runsByContact } from './061-runs-by-contact';
import { dropRunsByEvent } from './062-drop-runs-by-event';
import { runsByContactFirst } from './063-runs-by-contact-first';
import { enginePeers } from './064-engine-peers';
import { eventsKeyPartial } from './065-events-key-partial';
import { textCollationC } from './066-text-collation-c';
import { earlyStatuses } from './014-early-statuses';
import { webhookSigningSecret } from './042-webhook-signing-secret';
import { questionWaitsUnsent } from './067-question-waits-unsent';
import { conversationActivity } from './068-conversation-activity';
import { messageAuthorName } from './069-message-author-name';
import { userDeactivation } from './070-user-deactivation';
import { tagsAnyCase } from './071-tags-any-case';
import { conversationsByAssignee } from './072-conversations-by-assignee';
import { conversationLastMessage } from './073-conversation-last-message';
import { appPreviousSigningSecret } from './074-app-previous-signing-secret';
import { identitiesByContact } from './075-identities-by-contact';
import { appKeyRotation } from './076-app-key-rotation';
import { messageSentAt } from './077-message-sent-at';
import { replySends } from './078-reply-sends';
import { questionWaitsRouting } from './079-question-waits-routing';
import { conversationAdReferral } from './080-conversation-ad-referral';
import { conversationInbox } from './081-conversation-inbox';
import { activityMessages } from './082-activity-messages';
import { conversationChannelMoved } from './083-conversation-channel-moved';
import { conversationsByClosing } from './084-conversations-by-closing';
import { runsByLauncher } from './085-runs-by-launcher';
import { runReruns } from './087-run-reruns';
import { runsByStatus } from './088-runs-by-status';
import { messagesByConversationTime } from './089-messages-by-conversation-time';
import { searchFold } from './090-search-fold';
import { runRerunFrom } from './091-run-rerun-from';
import { runsByRerunner } from './092-runs-by-rerunner';
import { conversationReads } from './094-conversation-reads';
import { messageThreadOrder } from './095-message-thread-order';
import { messageSearch } from './096-message-search';
import { lateFallbacks } from './097-late-fallbacks';
import { earlyReactions } from './098-early-reactions';
import { lateFallbackTries } from './099-late-fallback-tries';
import { messageEdits } from './100-message-edits';
import { earlyEdits } from './101-early-edits';
import { earlyItemSenders } from './102-early-item-senders';
import { messageSearchBeyondAscii } from './103-message-search-beyond-ascii';
import { runsWaitingRunning } from './104-runs-waiting-running';
import { assignRotations } from './105-assign-rotations';
import { leastOpenCounts } from './106-least-open-counts';

// Names sort in order; add new ones at the end, never edit a released one.
export const migrations: Record<string, Migration> = {
  '001-foundation': foundation,
  '002-engine': engine,
  '003-integrations': integrations,
  '005-run-claims': runClaims,
  '006-app-signing-secrets': appSigningSecrets,
  '007-channel-identities': channelIdentities,
  '008-run-queue-heads': runQueueHeads,
  '009-runs-due-by-state': runsDueByState,
  '010-event-run-ids': eventRunIds,
  '011-connections': connections,
  '012-meta-channels': metaChannels,
  '013-ads-sync': adsSync,
  '014-early-statuses': earlyStatuses,
  '020-chatwoot': chatwoot,
  '030-bot-users': botUsers,
  '031-contact-lifecycle': contactLifecycle,
  '032-question-waits': questionWaits,
  '040-idempotency-request-hash': idempotencyRequestHash,
  '041-webhook-token-hash': webhookTokenHash,
  '042-webhook-signing-secret': webhookSigningSecret,
  '060-inbox-sign-in': inboxSignIn,
  '061-runs-by-contact': runsByContact,
  '062-drop-runs-by-event': dropRunsByEvent,
  '063-runs-by-contact-first': runsByContactFirst,
  '064-engine-peers': enginePeers,
  '065-events-key-partial': eventsKeyPartial,
  '066-text-collation-c': textCollationC,
  '067-question-waits-unsent': questionWaitsUnsent,
  '068-conversation-activity': conversationActivity,
  '069-message-author-name': messageAuthorName,
  '070-user-deactivation': userDeactivation,
  '071-tags-any-case': tagsAnyCase,
  '072-conversations-by-assignee': conversationsByAssignee,
  '073-conversation-last-message': conversationLastMessage,
  '074-app-previous-signing-secret': appPreviousSigningSecret,
  '075-identities-by-contact': identitiesByContact,
  '076-app-key-rotation': appKeyRotation,
  '077-message-sent-at': messageSentAt,
  '078-reply-sends': replySends,
  '079-question-waits-routing': questionWaitsRouting,
  '080-conversation-ad-referral': conversationAdReferral,
  '081-conversation-inbox': conversationInbox,
  '082-activity-messages': activityMessages,
  '083-conversation-channel-moved': conversationChannelMoved,
  '084-conversations-by-closing': conversationsByClosing,
  '085-runs-by-launcher': runsByLauncher,
  '087-run-reruns': runReruns,
  '088-runs-by-status': runsByStatus,
  '089-messages-by-conversation-time': messagesByConversationTime,
  '090-search-fold': searchFold,
  '091-run-rerun-from': runRerunFrom,
  '092-runs-by-rerunner': runsByRerunner,
  '094-conversation-reads': conversationReads,
  '095-message-thread-order': messageThreadOrder,
  '096-message-search': messageSearch,
  '097-late-fallbacks': lateFallbacks,
  '098-early-reactions': earlyReactions,
  '099-late-fallback-tries': lateFallbackTries,
  '100-message-edits': messageEdits,
  '101-early-edits': earlyEdits,
  '102-early-item-senders': earlyItemSenders,
  '103-message-search-beyond-ascii': messageSearchBeyondAscii,
  '104-runs-waiting-running': runsWaitingRunning,
  '105-assign-rotations': assignRotations,
  '106-least-open-counts': leastOpenCounts,
};
