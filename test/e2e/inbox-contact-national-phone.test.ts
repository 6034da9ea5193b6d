import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/server';
import { openSignedInInbox, type InboxBrowser } from './support/inbox-browser';

// The inbox's contact panel with the workspace's default country (BR): the agent types the number
// as the customer says it, "(11) 91234-5678", and the contact gets +5511912345678, as webhooks,
// the CSV import and the launcher read it; one that is not Brazilian either says so under the field.

const PHONE = '[data-testid="contact-phone"]';
let server: TestServer;
let agent: InboxBrowser;
const ids = { contact: '', conversation: '' };
const admin = () => server.api(server.adminToken);
const storedPhone = async () => (await admin().get(`/contacts/${ids.contact}`)).body.phone as string | null;
const inputValue = () => agent.page.$eval(PHONE, (el) => (el as HTMLInputElement).value);

async function typePhone(text: string, into = PHONE) {
  await agent.page.click(into, { count: 3 });
  await agent.page.keyboard.press('Backspace');
  await agent.page.type(into, text);
  await agent.page.keyboard.press('Tab');
}

beforeAll(async () => {
  server = await startTestServer();
  expect((await admin().put('/settings/default-country', { country: 'BR' })).status).toBe(200);
  expect((await admin().put('/fields/mobile', { label: 'Mobile', type: 'phone' })).status).toBe(200);
  ids.contact = (await admin().post('/contacts', { firstName: 'Ana', lastName: 'Souza' })).body.id;
  ids.conversation = (await admin().post('/conversations', { contactId: ids.contact })).body.id;
  const { token } = await server.createUser('agent', { name: 'Ava' });
  agent = await openSignedInInbox(server.url, token, { live: true });
  await agent.page.goto(`${server.url}/inbox/c/${ids.conversation}`);
  await agent.page.waitForSelector(`[data-testid="contact-panel"][data-contact-id="${ids.contact}"]`);
  await agent.page.waitForSelector(PHONE);
});

afterAll(async () => {
  await agent?.close();
  await server?.close();
});

describe('a national phone number in the contact panel', () => {
  it('is saved in E.164 and shown so', async () => {
    await typePhone('(11) 91234-5678');
    for (let i = 0; i < 50 && (await storedPhone()) !== '+5511912345678'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await storedPhone()).toBe('+5511912345678');
    await agent.page.waitForFunction((s) => (document.querySelector(s) as HTMLInputElement).value === '+5511912345678', {}, PHONE);
    expect(await agent.page.$eval(PHONE, (el) => el.getAttribute('aria-invalid'))).toBeNull();
  });

  it('one that is not Brazilian either is refused under the field, naming the country assumed', async () => {
    await typePhone('(11) 1234');
    await agent.page.waitForSelector(`${PHONE}[aria-invalid="true"]`);
    const hint = await agent.page.$eval(`${PHONE} ~ .field-error`, (el) => el.textContent ?? '');
    expect(hint).toContain('it is not a valid BR number either (the workspace\'s default country)');
    expect(await inputValue()).toBe('(11) 1234');
    expect(await storedPhone()).toBe('+5511912345678');
    await agent.page.click('[data-testid="error-banner"] .banner-close');
  });
});

describe('a national number in a phone field (custom) of the contact panel', () => {
  const MOBILE = '[data-testid="field-mobile"]';
  const storedMobile = async () => (await admin().get(`/contacts/${ids.contact}`)).body.fields.mobile as string | undefined;

  it('is saved in E.164 and shown so, as the contact\'s own phone', async () => {
    await typePhone('(21) 98765-4321', MOBILE);
    for (let i = 0; i < 50 && (await storedMobile()) !== '+5521987654321'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await storedMobile()).toBe('+5521987654321');
    await agent.page.waitForFunction((s) => (document.querySelector(s) as HTMLInputElement).value === '+5521987654321', {}, MOBILE);
    expect(await agent.page.$eval(MOBILE, (el) => el.getAttribute('aria-invalid'))).toBeNull();
  });

  it('one that is not Brazilian either is refused under the field with the phone\'s words', async () => {
    await typePhone('0800', MOBILE);
    await agent.page.waitForSelector(`${MOBILE}[aria-invalid="true"]`);
    const hint = await agent.page.$eval(`${MOBILE} ~ .field-error`, (el) => el.textContent ?? '');
    expect(hint).toBe('"0800" is not a phone number: it has no country code (+ and the code, e.g. +49 151 1234 5678), and it is not a valid BR number either (the workspace\'s default country)');
    expect(await storedMobile()).toBe('+5521987654321');
    await agent.page.click('[data-testid="error-banner"] .banner-close');
  });
});
