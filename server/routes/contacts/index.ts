import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Contact, ContactCreateBody, ContactList, ContactPatchBody, ContactQuery, FieldDefinition, FieldDefinitionBody, FieldList, FieldSaved, MergeContactsBody, MergeContactsResult, TagsBody, Tag, TagListBody, ContactTags, LifecycleStages } from '../../../lib/contracts/contacts';
import { Id, normalizePhone } from '../../../lib/contracts/common';
import { mergeContacts } from '../../domain/merge-contacts';
import { deleteContact } from '../../domain/delete-contact';
import { listContacts, type ContactFilters } from '../../domain/contact-list';
import { fieldFilterValue } from '../../domain/field-lookup';
import { changeTags, createContact, findContact, getContact, getLifecycleStages, listTags, requireLifecycleStage, toContact, updateContact } from '../../domain/contacts';
import { readsContacts, writeUnseen } from '../../apps/contact-ref';
import { setLifecycleStages } from '../../domain/lifecycle';
import { listFields, upsertField, deleteField, validateFieldValues } from '../../domain/fields';
import { inTransaction } from '../../events/unit-of-work';
import { savingFieldChecked } from '../../engine/workflows/field-change-checks';
import { issuesToDetails, unprocessable } from '../../http-error';
import { causeOf } from '../cause';
import { NoContent } from '../../http/openapi';
import { contactImportRoutes } from './import';
import { namingDuplicates } from './duplicate';
import { editThroughChatwoot } from '../../connectors/chatwoot/contact-edit';
import { readNationalPhone } from './national-phone';
import { matchablePhone } from '../../../lib/workflow/national-phone';
import { cachedDefaultCountry } from '../../domain/default-country';

const Params = z.object({ id: z.string().max(64) });
/** What a key that may not read contacts is told by a contact write (README: "scopes are exact"). */
const UNSEEN = 'An app key without contacts.read gets 204 whether or not the contact exists (the change is made when it does): '
  + 'it learns neither the contact\'s record nor whether there is one. Users and keys with contacts.read get the contact (404 for an unknown one).';

/** Phones and emails are unique among contacts. */
const DUPLICATE = '`conflict`: another contact has this phone or email; `details` names the field (`body.phone`, `body.email`) and, to a caller who reads contacts, '
  + 'that contact\'s `contactId`, to update it instead';
/** What PATCH does to a contact mirrored from a connected Chatwoot account (connectors/chatwoot/contact-edit.ts). */
const IN_CHATWOOT = 'A contact mirrored from a connected Chatwoot account is changed in Chatwoot first (name, email, phone, and fields as its custom attributes '
  + 'with the same keys; lifecycle stays here), then here: a refusal there is 409 (its email or phone belongs to another Chatwoot contact) or 422 '
  + 'with Chatwoot\'s reason, Chatwoot out of reach is 503 (Retry-After) or 502, and then nothing is changed here.';

export const contactRoutes: FastifyPluginAsyncZod = async (app) => {
  const services = app.services;
  const { db } = services;
  await app.register(contactImportRoutes);

  app.post('/contacts', { config: { access: { role: 'agent', scope: 'contacts.write' }, errors: { 409: DUPLICATE } }, preValidation: readNationalPhone(db, ContactCreateBody), schema: { tags: ['contacts'], body: ContactCreateBody, response: { 201: Contact } } },
    async (req, reply) => {
      const fields = await validateFieldValues(db, req.body.fields);
      // A stage is checked as PATCH checks it, and recorded as a field set at creation: Contact
      // Field Updated (lifecycle, from null), as PATCH fires it, beside Contact Created.
      const contact = await namingDuplicates(db, req.principal, req.body, undefined, () => inTransaction(db, async (uow) => {
        if (req.body.lifecycle) await requireLifecycleStage(uow, req.body.lifecycle);
        return createContact(uow, services, { ...req.body, fields }, causeOf(req));
      }));
      return reply.code(201).send(contact);
    });

  app.get('/contacts', {
    config: { access: { role: 'agent', scope: 'contacts.read' } },
    schema: {
      tags: ['contacts'], querystring: ContactQuery, response: { 200: ContactList },
      summary: 'Contacts, oldest first; filter by phone, email, search text (q) or a custom field\'s value (field and value); page with nextCursor; total counts the matches',
      description: 'Filters combine (all must match). `field` and `value` find the contacts whose custom field holds that value exactly, '
        + 'as Chatwoot\'s filter on a custom attribute and respond.io\'s on a contact field do: `?field=order_id&value=order-12345`. '
        + 'An unknown field key, or a value the field could never hold (a number field\'s "abc"), is a 422 naming the parameter. '
        + '`total` counts every contact the filters match, on every page; with `q` it is null when the matches do not all fit the first page '
        + '(q is a substring of names, emails and phones: no index serves it, and counting would read every contact again).',
    },
  }, async (req) => {
    const { phone, email, q, field, value, limit, cursor } = req.query;
    const filters: ContactFilters = { email, q };
    // Phones are stored in E.164: "+34 600 111 222" finds "+34600111222" (anything else, as given).
    // An unencoded "+" arrives as a space ("?phone=+34600111222"): read as the "+" it was.
    if (phone) {
      const checked = normalizePhone(phone.replace(/^ (?=\d)/, '+'));
      // A national number finds what POST/PATCH stored for it with the workspace's default country.
      const national = checked.ok ? undefined : matchablePhone(phone, await cachedDefaultCountry(db));
      filters.phone = checked.ok ? checked.phone : national && 'phone' in national ? national.phone : phone;
    }
    if (field !== undefined && value !== undefined) filters.field = { key: field, value: await fieldFilterValue(db, field, value) };
    return listContacts(db, services.store.dialect, filters, { limit, cursor });
  });

  app.get('/contacts/:id', { config: { access: { role: 'agent', scope: 'contacts.read' } }, schema: { tags: ['contacts'], params: Params, response: { 200: Contact } } },
    async (req) => getContact(db, req.params.id));

  app.patch('/contacts/:id', {
    config: { access: { role: 'agent', scope: 'contacts.write' }, errors: { 409: DUPLICATE } },
    preValidation: readNationalPhone(db, ContactPatchBody),
    schema: { tags: ['contacts'], params: Params, body: ContactPatchBody, description: `${IN_CHATWOOT} ${UNSEEN}`, response: { 200: Contact, 204: NoContent } },
  }, async (req, reply) => {
    const patch = req.body.fields ? { ...req.body, fields: await validateFieldValues(db, req.body.fields) } : req.body;
    // A contact that lives in Chatwoot is edited there first, or not at all (contact-edit.ts).
    const update = () => namingDuplicates(db, req.principal, patch, req.params.id,
      () => editThroughChatwoot(services, req.params.id, patch, () => inTransaction(db, (uow) => updateContact(uow, services, req.params.id, patch, causeOf(req)))));
    if (readsContacts(req.principal)) return update();
    await writeUnseen(update);
    return reply.code(204).send();
  });

  // Admins only, as in Chatwoot: it cannot be undone and erases conversation and run history
  // (supervisors merge duplicates, which keeps everything). Not for app keys either.
  app.delete('/contacts/:id', {
    config: { access: { role: 'admin' } },
    schema: {
      tags: ['contacts'], params: Params,
      summary: 'Delete a contact and erase everything about them (admin)',
      description: 'A GDPR erasure: the contact, their conversations and messages, tags and field values, channel and Chatwoot identities, '
        + 'enrolments, question waits, sends waiting to be retried, reactions and edits on WhatsApp or Messenger still waiting for their message, '
        + 'and their workflow runs (unfinished ones stop) and events, in one transaction. '
        + 'Answers 204; 404 for an unknown (or already deleted) contact. A later message from the same phone or Messenger sender is a new contact. '
        + 'A contact mirrored from Chatwoot stays there: the next sync or webhook about them creates a new contact unless they are deleted in Chatwoot too.',
      response: { 204: NoContent },
    },
  }, async (req, reply) => {
    await deleteContact(services, req.params.id, causeOf(req));
    return reply.code(204).send();
  });

  app.post('/contacts/:id/merge', {
    config: { access: { role: 'supervisor' } },
    schema: { tags: ['contacts'], summary: 'Merge another contact into this one (admin, supervisor)', params: Params, body: MergeContactsBody, response: { 200: MergeContactsResult } },
  }, async (req) => inTransaction(db, (uow) => mergeContacts(uow, services, req.params.id, req.body.mergeContactId, causeOf(req))));

  // tags.read: the workspace's tags and a contact's tags, nothing else of the contact.
  app.get('/tags', {
    config: { access: { role: 'agent', scope: 'tags.read' } },
    schema: { tags: ['contacts'], summary: 'Every tag some contact has', response: { 200: TagListBody } },
  }, async () => ({ tags: await listTags(db) }));

  app.get('/contacts/:id/tags', {
    config: { access: { role: 'agent', scope: 'tags.read' } },
    schema: {
      // Id (not empty): an unknown id is answered with itself.
      tags: ['contacts'], params: z.object({ id: Id }), response: { 200: ContactTags },
      description: 'An app key without contacts.read reads an unknown contact as one without tags (users and keys with contacts.read get 404).',
    },
  }, async (req) => {
    // A key that may not read contacts must not learn whether one exists: unknown reads as untagged.
    const contact = readsContacts(req.principal) ? await getContact(db, req.params.id) : await findContact(db, req.params.id);
    return { contactId: req.params.id, tags: contact?.tags ?? [] };
  });

  app.post('/contacts/:id/tags', {
    config: { access: { role: 'agent', scope: 'tags.write' } },
    schema: { tags: ['contacts'], params: Params, body: TagsBody, description: UNSEEN, response: { 200: Contact, 204: NoContent } },
  }, async (req, reply) => {
    const add = () => inTransaction(db, (uow) => changeTags(uow, services, req.params.id, 'add', req.body.tags, causeOf(req)));
    if (readsContacts(req.principal)) return add();
    await writeUnseen(add);
    return reply.code(204).send();
  });

  app.delete('/contacts/:id/tags/:tag', {
    config: { access: { role: 'agent', scope: 'tags.write' } },
    schema: { tags: ['contacts'], params: Params.extend({ tag: Tag }), description: UNSEEN, response: { 200: Contact, 204: NoContent } },
  }, async (req, reply) => {
    const remove = () => inTransaction(db, (uow) => changeTags(uow, services, req.params.id, 'remove', [req.params.tag], causeOf(req)));
    if (readsContacts(req.principal)) return remove();
    await writeUnseen(remove);
    return reply.code(204).send();
  });

  app.get('/settings/lifecycle-stages', { config: { access: { role: 'agent', scope: 'contacts.read' } }, schema: { tags: ['contacts'], response: { 200: LifecycleStages } } },
    async () => getLifecycleStages(db));

  app.put('/settings/lifecycle-stages', { config: { access: { role: 'admin' } }, schema: { tags: ['contacts'], body: LifecycleStages, response: { 200: LifecycleStages } } },
    async (req) => setLifecycleStages(db, req.body.stages));

  app.get('/fields', { config: { access: { role: 'agent', scope: 'contacts.read' } }, schema: { tags: ['fields'], response: { 200: FieldList } } },
    async () => ({ fields: await listFields(db) }));

  app.put('/fields/:key', {
    config: { access: { role: 'admin' } },
    schema: {
      tags: ['fields'], params: z.object({ key: z.string().max(64) }), body: FieldDefinitionBody, response: { 200: FieldSaved },
      description: 'Creates or changes a field. `brokenWorkflows`: the published workflows using it that its new type or options break (publishing would now refuse them, and their runs fail on it), each with what to fix; they stay published.',
    },
  }, async (req) => {
    const parsed = FieldDefinition.safeParse({ ...req.body, key: req.params.key });
    if (!parsed.success) {
      throw unprocessable('Invalid field definition', issuesToDetails(parsed.error.issues));
    }
    const before = (await listFields(db)).find((f) => f.key === parsed.data.key);
    const { field, brokenWorkflows } = await savingFieldChecked(db, before, parsed.data, () => upsertField(db, parsed.data));
    return { ...field, brokenWorkflows };
  });

  app.delete('/fields/:key', { config: { access: { role: 'admin' } }, schema: { tags: ['fields'], params: z.object({ key: z.string().max(64) }), response: { 204: NoContent } } },
    async (req, reply) => {
      await deleteField(db, req.params.key);
      return reply.code(204).send();
    });
};
