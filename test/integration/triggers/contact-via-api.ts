import { expect } from 'vitest';
import { Contact } from '../../../lib/contracts/contacts';
import { Conversation } from '../../../lib/contracts/conversations';
import type { Api } from '../../support/server';

// For the suites that make their contacts as a user does, over HTTP (contact-delete, contact-merge).

/** Maria Garcia, with `body` over her, created through POST /contacts. */
export async function mariaVia(api: Api, body: Record<string, unknown>) {
  const res = await api.post('/contacts', { firstName: 'Maria', lastName: 'Garcia', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return Contact.parse(res.body);
}

/** A conversation opened for `contactId` through POST /conversations. */
export async function openVia(api: Api, contactId: string) {
  const res = await api.post('/conversations', { contactId });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return Conversation.parse(res.body);
}
