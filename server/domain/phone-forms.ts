/**
 * The other forms one mobile number is written in, digits with the country code first. A
 * WhatsApp account keeps the form its number had when it was made, so its wa_id can differ from
 * the number as it is dialled now, and from a contact stored in E.164; Meta says only that "a
 * WhatsApp user's ID and phone number may not always match"
 * (https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/reference/messages/system,
 * and each message webhook's reference), and the countries where they do not are the ones below,
 * as WhatsApp providers document them (https://support.gupshup.io/hc/en-us/articles/4407840924953-A-brief-note-on-the-inconsistencies-for-mobile-numbers-and-their-WhatsApp-IDs-in-Brazil-digit-9-Mexico-digit-1,
 * https://support.whapi.cloud/help-desk/faq/specifics-of-sending-messages-to-numbers-of-different-countries).
 *
 * Each form is of one length, so no number of another length is taken for it: a Mexican or
 * Argentine national number is 10 digits, and neither country's area codes start with the 1 or 9
 * that the other form adds.
 */
export function otherForms(digits: string): string[] {
  const d = digits;
  const out: string[] = [];
  // Brazil: mobile numbers gained a ninth digit (9) after the two-digit area code; WhatsApp
  // often reports the older 12-digit form (55 + DDD + 8 digits). Only mobiles got it: their
  // 8-digit numbers started 6–9, landlines start 2–5 and kept 8 digits (Anatel's plan, as
  // https://en.wikipedia.org/wiki/Telephone_numbers_in_Brazil gives it: "landline numbers
  // (starting with 2, 3, 4 or 5) … remained with eight digits"; "the digit 9 was added to the
  // left of all existing mobile numbers"). So a landline has no other form, and a nine-digit
  // mobile whose next digit is 2–5 never had an 8-digit one: either would be another line.
  if (/^55\d{2}[6-9]\d{7}$/.test(d)) out.push(`${d.slice(0, 4)}9${d.slice(4)}`);
  if (/^55\d{2}9[6-9]\d{7}$/.test(d)) out.push(`${d.slice(0, 4)}${d.slice(5)}`);
  // Mexico: mobiles were dialled from abroad with a 1 after 52 until 2019 (E.164 dropped it);
  // WhatsApp still reports 521 + 10 digits for accounts made before.
  if (/^521\d{10}$/.test(d)) out.push(`52${d.slice(3)}`);
  if (/^52\d{10}$/.test(d)) out.push(`521${d.slice(2)}`);
  // Argentina: a mobile is +54 9 + area code + number (the 9 replaces the national 15); WhatsApp
  // reports 549…, while address books and CRMs often keep +54 + the 10 digits.
  if (/^549\d{10}$/.test(d)) out.push(`54${d.slice(3)}`);
  if (/^54\d{10}$/.test(d)) out.push(`549${d.slice(2)}`);
  return out;
}
