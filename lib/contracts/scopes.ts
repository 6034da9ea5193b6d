import { z } from 'zod';

/** What a mini-app API key may be granted; each API route names the one it needs. */
export const SCOPES = [
  'contacts.read', 'contacts.write', 'tags.read', 'tags.write',
  'conversations.read', 'conversations.write', 'messages.write',
  // "send sub flow": start a published Manual-trigger workflow for a contact, with variables
  'workflows.start',
] as const;
export const Scope = z.enum(SCOPES);
export type Scope = z.infer<typeof Scope>;
