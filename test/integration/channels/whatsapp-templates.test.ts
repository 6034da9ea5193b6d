import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graphTiming } from '../../../server/channels/graph';
import { graphErrors, startGraphStandIn, type GraphStandIn, type StandInTemplate } from '../../support/graph-standin';
import { startTestServer, type TestServer } from '../../support/server';
import { multiProductTemplate, templateKinds } from '../../fixtures/meta/templates';

// The Send message step's template picker reads the channel's templates from Meta. Shapes as the
// template management page shows them: POSITIONAL {{1}} bodies, NAMED {{day}} ones, media headers.
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/template-management/
// Header formats (TEXT, IMAGE, LOCATION …) and button types (URL, QUICK_REPLY, COPY_CODE, FLOW):
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/components
// A LOCATION header (format only; the place is given at send time):
// https://developers.facebook.com/documentation/business-messaging/whatsapp/templates/utility-templates/location-templates/
// Flow, catalog, authentication, limited-time offer and carousel templates: test/fixtures/meta/templates.ts cites each page.

let graph: GraphStandIn;
let server: TestServer;
const WABA = '102290129340398';
const TOKEN = 'EAAGwaToken1234WXYZ';

const positional = (name: string, body: string, extra: Partial<StandInTemplate> = {}): StandInTemplate => ({
  id: `${name.length}${body.length}01`, name, language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameter_format: 'POSITIONAL',
  components: [{ type: 'BODY', text: body }], ...extra,
});

beforeEach(async () => {
  graphTiming.baseDelayMs = 5;
  graph = await startGraphStandIn();
  graph.addPhoneNumber({ id: '106540352242922', token: TOKEN, businessAccountId: WABA });
  graph.addPage({ id: '682498302938465', token: 'EAAGpageToken5678ABCD' });
  server = await startTestServer({ env: { META_GRAPH_URL: graph.url }, workers: false });
});
afterEach(async () => { await server.close(); await graph.close(); graphTiming.baseDelayMs = 500; });

async function connectWhatsApp() {
  const res = await server.api(server.adminToken).post('/channels', { kind: 'whatsapp', name: 'Support line', phoneNumberId: '106540352242922', businessAccountId: WABA, accessToken: TOKEN });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

describe('GET /api/v1/channels/:id/whatsapp-templates', () => {
  it('lists every page of templates: sendable ones first with their parameter count, the others saying why not', async () => {
    const filler = Array.from({ length: 120 }, (_, i) => positional(`promo_${String(i).padStart(3, '0')}`, 'Sale!'));
    graph.addBusinessAccount({ id: WABA, token: TOKEN, templates: [
      ...filler,
      positional('order_update', 'Hi {{1}}, your order {{2}} ships {{3}}.'),
      positional('order_update', 'Hola {{1}}, tu pedido {{2}} sale {{3}}.', { language: 'es' }),
      { id: '9001', name: 'reservation_confirmation', language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameter_format: 'NAMED',
        components: [{ type: 'HEADER', format: 'IMAGE' }, { type: 'BODY', text: 'Your reservation for {{number_of_guests}} on {{day}} is confirmed.' }] },
      { id: '9002', name: 'order_confirmation', language: 'en_US', status: 'APPROVED', category: 'UTILITY', parameter_format: 'NAMED',
        components: [{ type: 'BODY', text: 'Hi {{customer_name}}, your order {{order_number}} has been confirmed! Thanks, {{customer_name}}.' }] },
      positional('welcome', 'Welcome!', { status: 'PENDING' }),
      positional('shipped', 'Your parcel {{1}} is on its way.', { components: [{ type: 'HEADER', format: 'TEXT', text: 'Order {{1}}' }, { type: 'BODY', text: 'Your parcel {{1}} is on its way.' }] }),
      multiProductTemplate,
      positional('spring_coupon', 'Here is 10% off.', { category: 'MARKETING', components: [{ type: 'BODY', text: 'Here is 10% off.' }, { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Stop' }, { type: 'COPY_CODE', text: 'Copy offer code' }] }] }),
      positional('store_location', 'Find us here.', { components: [{ type: 'HEADER', format: 'LOCATION' }, { type: 'BODY', text: 'Find us here.' }] }),
      positional('track', 'Track order {{1}}', { components: [{ type: 'BODY', text: 'Track order {{1}}' }, { type: 'BUTTONS', buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.example/t/{{1}}' }] }] }),
    ] });
    const id = await connectWhatsApp();
    const res = await server.api(server.adminToken).get(`/channels/${id}/whatsapp-templates`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const templates = res.body.templates as { name: string; language: string; parameterCount: number; notSendable: string | null; body: string | null }[];
    expect(templates).toHaveLength(130);
    // Two pages of 100 were read, with Meta's cursor.
    expect(graph.requests.filter((r) => r.path === `/v21.0/${WABA}/message_templates`)).toHaveLength(2);
    expect(templates.slice(0, 4).map((t) => t.name)).toEqual(['order_confirmation', 'order_update', 'order_update', 'promo_000']);
    // Named parameters: each name once, in the body's order.
    expect(templates[0]).toMatchObject({ parameterCount: 2, parameterNames: ['customer_name', 'order_number'], notSendable: null });
    expect(templates.find((t) => t.language === 'es')).toMatchObject({ parameterCount: 3, parameterNames: null, notSendable: null, body: 'Hola {{1}}, tu pedido {{2}} sale {{3}}.' });
    const why = Object.fromEntries(templates.filter((t) => t.notSendable).map((t) => [t.name, t.notSendable]));
    expect(why).toEqual({
      abandoned_cart: 'Not sendable from a workflow: it has an MPM button (a multi-product message)',
      welcome: 'Not sendable from a workflow: its status is PENDING (only approved templates are sent)',
    });
    expect(templates.slice(-2).map((t) => t.name)).toEqual(['abandoned_cart', 'welcome']);
    // Buttons that take a value: a link's {{1}} suffix, a code to copy (in their place among the buttons).
    expect(templates.find((t) => t.name === 'track')).toMatchObject({ buttons: [{ index: 0, type: 'url', text: 'Track' }], notSendable: null });
    expect(templates.find((t) => t.name === 'spring_coupon')).toMatchObject({ buttons: [{ index: 1, type: 'copy_code', text: 'Copy offer code' }], notSendable: null });
    // Headers that take a value: a file by link, or their text parameter.
    expect(templates.find((t) => t.name === 'reservation_confirmation')).toMatchObject({ header: { type: 'image', parameterName: null }, parameterNames: ['number_of_guests', 'day'], notSendable: null });
    expect(templates.find((t) => t.name === 'shipped')).toMatchObject({ header: { type: 'text', parameterName: null }, parameterCount: 1 });
    // A location header's place is given at send time (its map): sendable, the step fills it.
    expect(templates.find((t) => t.name === 'store_location')).toMatchObject({ header: { type: 'location', parameterName: null }, notSendable: null });
    expect(templates.find((t) => t.name === 'order_update')).toMatchObject({ header: null });
  });

  it('lists flow, catalog, authentication, limited-time offer and media carousel templates with what the step gives; multi-product and product carousels stay unsendable, saying why', async () => {
    graph.addBusinessAccount({ id: WABA, token: TOKEN, templates: templateKinds });
    const id = await connectWhatsApp();
    const res = await server.api(server.adminToken).get(`/channels/${id}/whatsapp-templates`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const by = Object.fromEntries((res.body.templates as { name: string }[]).map((t) => [t.name, t]));
    const none = { authentication: null, limitedTimeOffer: null, carousel: null, notSendable: null };
    // A flow button: an optional token and first-screen data; its quick reply takes nothing.
    expect(by.flow_signup).toMatchObject({ ...none, parameterCount: 1, buttons: [{ index: 1, type: 'flow', text: 'Sign up' }] });
    expect(by.intro_catalog_offer).toMatchObject({ ...none, parameterCount: 3, buttons: [{ index: 0, type: 'catalog', text: 'View catalog' }] });
    // Authentication, as Meta returns it (a URL to whatsapp.com/otp/code) or as created (OTP): the step gives the code, nothing else.
    expect(by.verification_code).toMatchObject({ parameterCount: 0, parameterNames: null, buttons: [], header: null, authentication: { otpType: 'copy_code' }, notSendable: null });
    expect(by.verification_autofill).toMatchObject({ parameterCount: 0, buttons: [], authentication: { otpType: 'one_tap' }, notSendable: null });
    expect(by.limited_time_offer_caribbean_pkg_2023).toMatchObject({
      header: { type: 'image', parameterName: null }, parameterCount: 2, limitedTimeOffer: { text: 'Expiring offer!', hasExpiration: true },
      buttons: [{ index: 0, type: 'copy_code', text: 'Copy offer code' }, { index: 1, type: 'url', text: 'Book now!' }], notSendable: null,
    });
    const cardButtons = [{ index: 0, type: 'quick_reply', text: 'Send me more like this!' }, { index: 1, type: 'url', text: 'Shop' }];
    expect(by.carousel_template_media_cards_v1).toMatchObject({ parameterCount: 3, buttons: [], notSendable: null, carousel: { cards: [
      { header: 'image', body: null, parameterCount: 0, parameterNames: null, buttons: cardButtons },
      { header: 'image', buttons: cardButtons },
      { header: 'video', buttons: cardButtons },
    ] } });
    expect(by.product_carousel!).toMatchObject({ notSendable: 'Not sendable from a workflow: its carousel cards show products (a product card carousel); its carousel cards have a button of type SPM' });
    expect(by.abandoned_cart!).toMatchObject({ notSendable: 'Not sendable from a workflow: it has an MPM button (a multi-product message)' });
  });

  // By Meta's code: the account id unknown or hidden from the token (100/33, e.g. the system user
  // unassigned since), a permission missing (200), the token itself (190).
  it.each([
    ['an account id Meta does not know or the token cannot see', () => graph.failNext(graphErrors.unknownObject(WABA)), 'business_account_not_found',
      /^Meta refused to list the templates of WhatsApp Business Account 102290129340398: Meta error 100\/33 .*does not exist.*This account id is unknown to Meta or not accessible with the channel's token: correct it in Settings → Channels/],
    ['a token without whatsapp_business_management', () => graph.withoutPermission(TOKEN, 'whatsapp_business_management'), 'permission_missing',
      /^Meta refused to list the templates of WhatsApp Business Account 102290129340398: Meta error 200 .*Requires whatsapp_business_management permission.*The channel's token lacks the whatsapp_business_management permission/],
    ['a token Meta no longer accepts', () => graph.expireToken(TOKEN), 'token_refused', /Meta error 190\/463 .*Session has expired.*Paste a new token/],
  ])('%s: a 422 saying which', async (_name, refuse, code, message) => {
    const id = await connectWhatsApp();
    refuse();
    const res = await server.api(server.adminToken).get(`/channels/${id}/whatsapp-templates`);
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
    if (code !== 'permission_missing') expect(res.body.error.message).not.toMatch(/whatsapp_business_management/);
  });

  it('502 when Meta is down, and refuses what is not a WhatsApp channel', async () => {
    const id = await connectWhatsApp();
    const admin = server.api(server.adminToken);
    graph.failNext(graphErrors.serverError(), graphErrors.serverError(), graphErrors.serverError());
    const down = await admin.get(`/channels/${id}/whatsapp-templates`);
    expect(down.status).toBe(502);
    expect(down.body.error.message).toMatch(/could not be read: Meta error 2 .*Try again in a moment/);

    const page = await admin.post('/channels', { kind: 'messenger', name: 'Store <b>page</b>', pageId: '682498302938465', pageAccessToken: 'EAAGpageToken5678ABCD' });
    const notWa = await admin.get(`/channels/${page.body.id}/whatsapp-templates`);
    expect(notWa.status).toBe(409);
    expect(notWa.body.error.message).toBe('Channel "Store <b>page</b>" is a Facebook Page: message templates are WhatsApp\'s');
    expect((await admin.get('/channels/cnx_nope/whatsapp-templates')).status).toBe(404);
    const agent = await server.createUser('agent');
    expect((await server.api(agent.token).get(`/channels/${id}/whatsapp-templates`)).status).toBe(403);
  });
});
