// What to do about a WhatsApp refusal whose raw words ("(#131026) Message Undeliverable") tell an
// agent nothing. Causes and fixes as Meta's error-code table gives them:
// https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes
// (131026 Message Undeliverable: not a WhatsApp number, new Terms of Service not accepted, old
// WhatsApp version; 131047 Re-engagement message: more than 24 hours since the customer last
// replied; 131049 Meta chose not to deliver: per-user marketing template limits,
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/marketing-templates/per-user-limits).
// Applied where the failure is shown (a message's delivery error, a run's error), over the words
// stored, so messages that failed before this was written read the same.

/** Meta's "outside the 24-hour window" refusal. */
export const RE_ENGAGEMENT = 131047;

const ADVICE: Record<number, string> = {
  131026: 'WhatsApp could not deliver it: the number may not be on WhatsApp, or its owner has not accepted WhatsApp\'s new Terms of Service, or uses an old WhatsApp version. Ask the customer another way to check, update WhatsApp and write to you.',
  [RE_ENGAGEMENT]: 'WhatsApp says more than 24 hours passed since the customer last wrote: until they write again, only an approved template reaches them. Send a template (a workflow step can have a fallback template).',
  131049: 'Meta chose not to deliver this marketing message (WhatsApp limits how many marketing messages one person receives). Do not send it again at once: wait a day, or until the customer writes.',
};

/**
 * The Meta code in an error we stored: "Meta error 131047 (OAuthException): …" from a send
 * (graph.ts describeGraphError), "Meta error 131047: …" from a status webhook; null for others.
 */
export function metaErrorCode(error: string | null | undefined): number | null {
  const m = /\bMeta error (\d+)/.exec(error ?? '');
  return m ? Number(m[1]) : null;
}

/** The error with what to do in front of Meta's words, for the codes that need it; others as they are. */
export function explainMetaError(error: string): string;
export function explainMetaError(error: string | null): string | null;
export function explainMetaError(error: string | null): string | null {
  const advice = ADVICE[metaErrorCode(error) ?? -1];
  return error && advice && !error.startsWith(advice) ? `${advice} (${error})` : error;
}

/** A send WhatsApp refused because its own 24-hour window is closed (whatever our record of the customer's last message says). */
export const refusedAsReEngagement = (r: { status: string; error: string | null }) => r.status === 'failed' && metaErrorCode(r.error) === RE_ENGAGEMENT;
