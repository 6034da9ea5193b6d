import type { APP_FIELD_TYPES, AUTH_INPUT_TYPES } from '../../../lib/contracts/apps';
import type { Scope } from '../../../lib/contracts/scopes';

// What the app builder and the app card call the contract's values. Records over the
// contract's own lists: a scope or type added there fails to compile until it has words here.

export const SCOPE_WORDS: Record<Scope, string> = {
  'contacts.read': 'Read contacts',
  'contacts.write': 'Create and edit contacts',
  'tags.read': 'Read tags',
  'tags.write': 'Add and remove tags',
  'workflows.start': 'Start workflows that have the manual trigger (send sub flow)',
  'conversations.read': 'Read conversations',
  'conversations.write': 'Open, assign and close conversations',
  'messages.write': 'Send messages',
};

export const FIELD_TYPE_WORDS: Record<(typeof APP_FIELD_TYPES)[number], string> = {
  text: 'Text', number: 'Number', boolean: 'True / false', date: 'Date', datetime: 'Date and time', json: 'JSON (several values in one)',
};

export const AUTH_TYPE_WORDS: Record<(typeof AUTH_INPUT_TYPES)[number], string> = {
  string: 'Short text', text: 'Long text', number: 'Number', checkbox: 'Checkbox', secret: 'Secret (API token, password)',
};
