// Names only, no zod: the inbox page imports these, and classic zod would add ~400 KB to it.

/** The header the inbox page sends with every call: a cookie-signed write without it is refused (CSRF). */
export const INBOX_CSRF_HEADER = 'x-inbox-companion';
export const INBOX_SESSION_COOKIE = 'ic_inbox_session';
/** Readable by the page (no secret in it): "a login cookie was set". */
export const INBOX_SESSION_HINT_COOKIE = 'ic_inbox_signed_in';
