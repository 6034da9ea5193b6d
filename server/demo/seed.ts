import type { Services } from '../services';
import { createUser } from '../domain/users';
import { createContact } from '../domain/contacts';
import { addMessage, openConversation } from '../domain/conversations';
import { setClosingCategories } from '../domain/closing-categories';
import { upsertField } from '../domain/fields';
import { inTransaction } from '../events/unit-of-work';

/** Extra demo content from features (sample workflows, ads, …); each registers a seeder. */
export type DemoSeeder = (services: Services) => Promise<void>;
const seeders: DemoSeeder[] = [];
export const addDemoSeeder = (s: DemoSeeder) => seeders.push(s);

/** A small believable workspace, so the first `npm start` shows something real. Returns the demo tokens. */
export async function seedDemo(services: Services): Promise<Record<string, string>> {
  const { db } = services;
  const agent = await createUser(db, { name: 'Ava Agent', email: 'ava@demo.local', role: 'agent' });
  const agent2 = await createUser(db, { name: 'Ben Agent', email: 'ben@demo.local', role: 'agent' });
  const supervisor = await createUser(db, { name: 'Sam Supervisor', email: 'sam@demo.local', role: 'supervisor' });
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
    await inTransaction(db, async (uow) => {
      const contact = await createContact(uow, services, { firstName: p.firstName, lastName: p.lastName, phone: p.phone, email: p.email, tags: ['demo'], fields: p.fields }, { source: 'api' });
      const conversation = await openConversation(uow, services, contact.id, { source: 'contact' }, p.text);
      await addMessage(uow, services, conversation.id, { text: p.text, direction: 'incoming', kind: 'message', author: { type: 'contact', id: contact.id } }, { source: 'contact' });
    });
  }
  for (const seed of seeders) await seed(services);
  return { agent: agent.token, agent2: agent2.token, supervisor: supervisor.token };
}
