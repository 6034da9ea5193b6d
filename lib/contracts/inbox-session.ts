import { z } from 'zod';

/** POST /auth/inbox-code: a one-time code that signs the built-in inbox in (see the README). */
export const InboxCode = z.object({
  code: z.string(),
  expiresAt: z.string(),
  /** Where to open the inbox with it: the code rides in the fragment, which never reaches a server log. */
  path: z.string(),
});
export type InboxCode = z.infer<typeof InboxCode>;

export const InboxSessionBody = z.object({
  code: z.string().min(1, 'Send the code from the sign-in link').max(200),
});

export { INBOX_CSRF_HEADER, INBOX_SESSION_COOKIE, INBOX_SESSION_HINT_COOKIE } from './inbox-session-names';
