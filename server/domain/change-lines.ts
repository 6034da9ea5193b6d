import { workflowNamed, type ActivityLine } from './activity';

/**
 * Who changed a conversation, for the activity line the thread gets beside the change
 * (domain/activity.ts): a workflow's step, or a person (an agent, a supervisor, a user's own API
 * token) acting on a conversation that lives here. Given only where the change is made here: a
 * conversation that lives in Chatwoot is assigned, resolved and reopened there, and Chatwoot
 * writes its own line ("Assigned to Bruno by Ana"), so the connector's mirror passes none and the
 * thread does not say it twice. An app key is no one: Chatwoot writes no line for a change
 * without a user either, and the conversation's header shows the outcome.
 */
export type ChangedBy =
  | { type: 'workflow'; id: string; name?: string | null }
  | { type: 'user'; id: string; name: string };

// Chatwoot's words (conversations.activity.assignee and .status in
// https://github.com/chatwoot/chatwoot/blob/develop/config/locales/en.yml), with "closed" for its
// "marked resolved": what this product's button, API and workflow step call it.

const named = (by: ChangedBy) => (by.type === 'workflow' ? workflowNamed(by.name) : by.name);

/** "Assigned to Ben by Ava", "Ava self-assigned this conversation", "Conversation unassigned by workflow “Wrap up”". */
export function assignedText(by: ChangedBy, assignee: { id: string; name: string } | null): string {
  if (!assignee) return `Conversation unassigned by ${named(by)}`;
  if (by.type === 'user' && by.id === assignee.id) return `${by.name} self-assigned this conversation`;
  return `Assigned to ${assignee.name} by ${named(by)}`;
}

/**
 * An admin deactivated the assignee, which unassigns their open conversations (domain/users.ts):
 * the thread says why it is nobody's now, where "Conversation unassigned by Ava" would name the
 * admin as if they had looked at it.
 */
export const unassignedOnDeactivationText = (assignee: string) => `Conversation unassigned: ${assignee} was deactivated`;

/** "Conversation was closed by Ava (Sale)". */
export const closedText = (by: ChangedBy, category: string | null | undefined) =>
  `Conversation was closed by ${named(by)}${category ? ` (${category})` : ''}`;

/**
 * Reopening here opens the contact's next conversation (each open→close period is one): the line
 * is its first, under the earlier conversation the inbox shows above it.
 */
export const reopenedText = (by: Extract<ChangedBy, { type: 'user' }>) => `Conversation was reopened by ${by.name}`;

/** A workflow is stored with its name (the inbox shows it as such); a person by id, as every user-authored line. */
export const lineAuthor = (by: ChangedBy): ActivityLine['author'] => (by.type === 'workflow' ? by : { type: 'user', id: by.id });
