import type { Services } from '../services';
import { createUser } from '../domain/users';
import { createContact } from '../domain/contacts';
import { addMessage, openConversation } from '../domain/conversations';
import { setClosingCategories } from '../domain/closing-categories';
import { upsertField } from '../domain/fields';
import { inTransaction } from '../events/unit-of-work';
import { issueToken } from '../auth/tokens';
import type { Role } from '../../lib/contracts/users';
import type { Db } from '../store/database';

/** Extra demo content from features (sample workflows, ads, …); each registers a seeder, which makes only what is missing (seedDemo). */
export type DemoSeeder = (services: Services) => Promise<void>;
const seeders: DemoSeeder[] = [];
export const addDemoSeeder = (s: DemoSeeder) => seeders.push(s);

/**
 * A demo user, or a new token for the one a seed that stopped midway made (its token was never
 * printed): the seed picks up where it stopped.
 */
async function demoUser(db: Db, input: { name: string; email: string; role: Role }): Promise<string> {
  const existing = await db.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
  if (existing) return (await issueToken(db, { kind: 'user', userId: existing.id }, 'created with the user')).token;
  return (await createUser(db, input)).token;
}

/**
 * A small believable workspace, so the first `npm start` shows something real. Returns the demo tokens.
 * Resumable: a seed that stopped midway (a crash, a full disk) left what it had made, and
 * `demo_seeded` unset (bootstrap.ts): the next start makes only what is missing. Every step is
 * "if missing, make": users by email, contacts by phone, workflows by name (seeders do the same).
 */
export async function seedDemo(services: Services): Promise<Record<string, string>> {
  const { db } = services;
  const agent = await demoUser(db, { name: 'Ava Agent', email: 'ava@demo.local', role: 'agent' });
  const agent2 = await demoUser(db, { name: 'Ben Agent', email: 'ben@demo.local', role: 'agent' });
  const supervisor = await demoUser(db, { name: 'Sam Supervisor', email: 'sam@demo.local', role: 'supervisor' });
  await setClosingCategories(db, ['Resolved', 'Refund issued', 'No response', 'Spam']);
  await upsertField(db, { key: 'order_id', label: 'Order ID', type: 'text', options: [] });
  await upsertField(db, { key: 'plan', label: 'Plan', type: 'list', options: ['Free', 'Pro', 'Enterprise'] });
  await upsertField(db, { key: 'callback_date', label: 'Callback date', type: 'date', options: [] });
  await upsertField(db, { key: 'vip', label: 'VIP', type: 'checkbox', options: [] });
  const people: { firstName: string; lastName: string; phone: string; email: string; text: string; fields: Record<string, string | boolean> }[] = [
    { firstName: 'Maria', lastName: 'Garcia', phone: '+34600111222', email: 'maria@example.com', text: 'Hi! My order #1042 has not arrived yet.', fields: { order_id: '1042', plan: 'Pro' } },
    { firstName: 'James', lastName: 'Okafor', phone: '+2348012345678', email: 'james@example.com', text: 'Can I upgrade my plan to Enterprise?', fields: { plan: 'Free' } },
    { firstName: 'Yuki', lastName: 'Tanaka', phone: '+819012345678', email: 'yuki@example.com', text: 'The app crashes when I open settings.', fields: {} },
    { firstName: 'Lena', lastName: 'Schmidt', phone: '+4915112345678', email: 'lena@example.com', text: 'I was charged twice this month.', fields: { vip: true } },
  ];
  for (const p of people) {
    // Contact, conversation and first message are one transaction: the contact being there means all are.
    if (await db.selectFrom('contacts').select('id').where('phone', '=', p.phone).executeTakeFirst()) continue;
    await inTransaction(db, async (uow) => {
      const contact = await createContact(uow, services, { firstName: p.firstName, lastName: p.lastName, phone: p.phone, email: p.email, tags: ['demo'], fields: p.fields }, { source: 'api' });
      const conversation = await openConversation(uow, services, contact.id, { source: 'contact' }, p.text);
      await addMessage(uow, services, conversation.id, { text: p.text, direction: 'incoming', kind: 'message', author: { type: 'contact', id: contact.id } }, { source: 'contact' });
    });
  }
  for (const seed of seeders) await seed(services);
  return { agent, agent2, supervisor };
}
