import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CONTACT_IMPORT_BODY_LIMIT, CONTACT_IMPORT_MAX_ROWS, ContactImportBody, ContactImportResult } from '../../../lib/contracts/contact-import';
import { CONTACT_IMPORT_NOTE, importContacts } from '../../domain/import-contacts';
import { HttpError } from '../../http-error';
import { causeOf } from '../cause';
import { readsContacts } from '../../apps/contact-ref';

/** POST /contacts/import: many contacts in one request, each row answered on its own. */
export const contactImportRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;
  // Supervisors too (they merge contacts; an import is the same kind of list keeping), and app keys
  // that may read and write contacts. Not agents: one request changes thousands of contacts.
  app.post('/contacts/import', {
    config: {
      access: { role: 'supervisor', scope: 'contacts.write' },
      bodyTooLarge: `send at most ${CONTACT_IMPORT_MAX_ROWS.toLocaleString('en-US')} contacts per request, a larger file in parts`,
    },
    bodyLimit: CONTACT_IMPORT_BODY_LIMIT,
    schema: {
      tags: ['contacts'],
      summary: `Create or update up to ${CONTACT_IMPORT_MAX_ROWS.toLocaleString('en-US')} contacts (admin, supervisor; app keys with contacts.write and contacts.read)`,
      description: 'Each row is checked as POST /contacts checks a contact and saved on its own: a row that finds its contact by `match` '
        + '(phone, email, phone and else email, or `{ "field": "<custom text field>" }` and else phone or email) updates it '
        + '(names, phone, email, lifecycle and the fields it gives; tags are added), any other creates one. '
        + 'The answer lists every row by its index: created, updated, unchanged, or error with every problem to fix; a bad row never holds back the others. '
        + 'With `onInvalidField: "skip"` a field value or lifecycle stage that does not fit is left out (listed in the row\'s `skipped`) instead of refusing the row; '
        + '`defaultCountry` reads phones without a country code in that country. '
        + 'Every change is recorded; workflows start only with `fireTriggers: true` (tag and field triggers fire as for an API update), '
        + 'so importing a list does not greet every contact. A larger list goes in several requests.',
      body: ContactImportBody,
      response: { 200: ContactImportResult },
    },
  }, async (req) => {
    // The answer says which rows found an existing contact, and names contacts a row clashes
    // with: reading contacts, which an app key may do only with contacts.read ("scopes are exact").
    if (!readsContacts(req.principal)) {
      throw new HttpError(403, 'forbidden', 'An import finds existing contacts by phone or email and answers with them: this API key needs the contacts.read scope as well as contacts.write');
    }
    const cause = causeOf(req);
    const { contacts, match, onInvalidField, defaultCountry } = req.body;
    return importContacts(services, contacts, { match, onInvalidField, defaultCountry },
      req.body.fireTriggers ? cause : { ...cause, imported: true, importNote: CONTACT_IMPORT_NOTE });
  });
};
