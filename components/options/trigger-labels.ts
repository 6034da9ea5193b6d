import type { DomainEventType } from '../../lib/contracts/events';

/**
 * Words for the events that start runs (those `triggerMatchOf` in server/engine/dispatch maps to a
 * trigger). Keyed by the contract's event types, so a renamed event fails to compile here.
 */
const LABELS = {
  'webhook.received': 'Incoming webhook',
  'contact.tag_added': 'Tag added',
  'contact.tag_removed': 'Tag removed',
  'contact.field_updated': 'Field updated',
  'conversation.opened': 'Conversation opened',
  'conversation.closed': 'Conversation closed',
  'shortcut.launched': 'Shortcut',
  'ad.clicked': 'Click-to-Chat ad',
  'workflow.started': 'Started by workflow',
  'mini_app.triggered': 'Mini-app trigger',
} satisfies Partial<Record<DomainEventType, string>>;

const byType = new Map<string, string>(Object.entries(LABELS));

/** A run's trigger event in words; the raw type for one this page does not know. */
export const triggerLabel = (type: string): string => byType.get(type) ?? type;
