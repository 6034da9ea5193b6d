import type { ChatwootStandin, CwStandinContact } from './chatwoot-standin';

// Devise's default email_regexp (config/initializers/devise.rb) and Contact's phone format (app/models/contact.rb).
const EMAIL_FORMAT = /^[^@\s]+@[^@\s]+$/;
const PHONE_FORMAT = /\+[1-9]\d{1,14}$/;

/**
 * ContactsController#update (app/controllers/api/v1/accounts/contacts_controller.rb): assigns the
 * permitted keys given (name, email, phone_number, identifier…; custom_attributes merged) and
 * `save!`s. Contact's validations (app/models/contact.rb): email downcased, blank → nil, unique in
 * the account (case-insensitive) and of Devise's format; phone_number unique in the account and
 * E.164; both allow blank. A failed save! is RequestExceptionHandler#render_record_invalid: 422
 * `{ message: full_messages.join(', '), attributes }`, messages in validation order, worded as
 * Rails and config/locales/en.yml word them. Documented body:
 * https://developers.chatwoot.com/api-reference/contacts/update-contact
 */
export function contactUpdate(s: ChatwootStandin, contact: CwStandinContact, body: any): Partial<CwStandinContact> | { message: string; attributes: string[] } {
  const next: Partial<CwStandinContact> = {};
  if (typeof body?.name === 'string') next.name = body.name;
  if (body && 'email' in body) next.email = typeof body.email === 'string' && body.email.trim() !== '' ? body.email.toLowerCase() : null;
  if (body && 'phone_number' in body) next.phone_number = typeof body.phone_number === 'string' ? body.phone_number : null;
  if (body?.custom_attributes && typeof body.custom_attributes === 'object') next.custom_attributes = { ...contact.custom_attributes, ...body.custom_attributes };
  const others = [...s.contacts.values()].filter((c) => c.id !== contact.id);
  const errors: [string, string][] = [];
  const email = next.email !== undefined ? next.email : contact.email;
  if (email) {
    if (others.some((c) => c.email?.toLowerCase() === email)) errors.push(['email', 'Email has already been taken']);
    if (!EMAIL_FORMAT.test(email)) errors.push(['email', 'Email Invalid email']);
  }
  const phone = next.phone_number !== undefined ? next.phone_number : contact.phone_number;
  if (phone) {
    if (others.some((c) => c.phone_number === phone)) errors.push(['phone_number', 'Phone number has already been taken']);
    if (!PHONE_FORMAT.test(phone)) errors.push(['phone_number', 'Phone number should be in e164 format']);
  }
  if (errors.length) return { message: errors.map(([, m]) => m).join(', '), attributes: [...new Set(errors.map(([a]) => a))] };
  return next;
}
