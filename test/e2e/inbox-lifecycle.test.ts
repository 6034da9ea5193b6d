import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// respond.io's lifecycle stage in the built-in inbox's contact panel: shown and changed by any
// agent (the role that may edit contacts) once the workspace has stages, through PATCH /contacts/:id.

const SELECT = '[data-testid="contact-lifecycle"]';
let server: TestServer;
let agent: InboxBrowser;
const ids = { contact: '', conversation: '' };
const admin = () => server.api(server.adminToken);
const options = () => agent.page.$$eval(`${SELECT} option`, (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
const value = () => agent.page.$eval(SELECT, (s) => (s as HTMLSelectElement).value);
const lifecycle = async () => (await admin().get(`/contacts/${ids.contact}`)).body.lifecycle;

async function openConversation() {
  await agent.page.goto(`${server.url}/inbox/c/${ids.conversation}`);
  await agent.page.waitForSelector(`[data-testid="contact-panel"][data-contact-id="${ids.contact}"]`);
  await agent.page.waitForSelector('[data-testid="contact-name"]');
}

beforeAll(async () => {
  server = await startTestServer();
  ids.contact = (await admin().post('/contacts', { firstName: 'Maria', lastName: 'Garcia' })).body.id;
  ids.conversation = (await admin().post('/conversations', { contactId: ids.contact })).body.id;
  const { token } = await server.createUser('agent', { name: 'Ava' });
  agent = await openSignedInInbox(server.url, token, { live: true });
});

afterAll(async () => {
  await agent?.close();
  await server?.close();
});

describe('the lifecycle stage in the contact panel', () => {
  it('is not offered while the workspace has no stages', async () => {
    await openConversation();
    await new Promise((r) => setTimeout(r, 300)); // the stages' answer has come
    expect(await agent.page.$(SELECT)).toBeNull();
  });

  it('an agent sees the stages and none, and moves the contact between them', async () => {
    expect((await admin().put('/settings/lifecycle-stages', { stages: ['New lead', 'Qualified', 'Customer'] })).status).toBe(200);
    await agent.page.reload();
    await agent.page.waitForSelector(SELECT);
    expect(await agent.page.$eval('label[for="contact-lifecycle"]', (l) => l.textContent)).toBe('Stage');
    expect(await options()).toEqual([['', 'None'], ['New lead', 'New lead'], ['Qualified', 'Qualified'], ['Customer', 'Customer']]);
    expect(await value()).toBe('');

    await agent.page.select(SELECT, 'Qualified');
    for (let i = 0; i < 50 && (await lifecycle()) !== 'Qualified'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await lifecycle()).toBe('Qualified');

    // Changed elsewhere (a workflow, a colleague): the panel follows without a reload.
    await admin().patch(`/contacts/${ids.contact}`, { lifecycle: 'Customer' });
    await agent.page.waitForFunction((s) => (document.querySelector(s) as HTMLSelectElement).value === 'Customer', {}, SELECT);

    await agent.page.select(SELECT, '');
    for (let i = 0; i < 50 && (await lifecycle()) !== null; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await lifecycle()).toBeNull();
  });

  it('a stage since removed from settings is still shown as the contact\'s, not as none', async () => {
    await admin().patch(`/contacts/${ids.contact}`, { lifecycle: 'Customer' });
    await admin().put('/settings/lifecycle-stages', { stages: ['New lead', 'Qualified', 'Won'] });
    await agent.page.reload();
    await agent.page.waitForFunction((s) => (document.querySelector(s) as HTMLSelectElement | null)?.value === 'Customer', {}, SELECT);
    expect(await options()).toEqual([['', 'None'], ['New lead', 'New lead'], ['Qualified', 'Qualified'], ['Won', 'Won'], ['Customer', 'Customer (no longer a stage)']]);
    expect(agent.pageErrors).toEqual([]);
  });
});
