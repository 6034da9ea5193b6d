// Moved to lib/workflow/national-phone.ts: the options page's contact import reads numbers as webhooks do.
export { matchablePhone, phoneHint, toE164, type PhoneMatch } from '../../lib/workflow/national-phone';
