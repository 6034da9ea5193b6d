import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  messengerEcho, messengerGetStartedFromAd, messengerReadAndReaction, messengerText, messengerUserRef, nextMid, nextWamid,
  whatsappAdMessage, whatsappPlainMessage, whatsappReaction, whatsappStatus, whatsappUnsupported,
} from '../../fixtures/meta/payloads';
import { startChannelWorld } from './support';

// Random mixes of documented event kinds, repeated and reordered across deliveries: every
// message is stored once, every ad referral fires once, and nothing else is created.

const AD = '120210000000001';
type Envelope = { object: string; entry: unknown[] };
interface Event { payload: Envelope; message: boolean; referral: boolean; sender: string | null }

const kinds: ((i: number) => Event)[] = [
  (i) => ({ payload: whatsappPlainMessage({ waId: `1415555${String(i).padStart(4, '0')}`, text: `hello ${i}`, id: nextWamid() }), message: true, referral: false, sender: `wa${i}` }),
  (i) => ({ payload: whatsappAdMessage({ waId: `1415555${String(i).padStart(4, '0')}`, adId: AD, text: `ad ${i}`, id: nextWamid() }), message: true, referral: true, sender: `wa${i}` }),
  (i) => ({ payload: whatsappReaction({ waId: `1415556${String(i).padStart(4, '0')}`, to: 'wamid.X' }), message: false, referral: false, sender: null }),
  // A placeholder tells the agent the customer sent something WhatsApp does not pass on.
  (i) => ({ payload: whatsappUnsupported({ waId: `1415557${String(i).padStart(4, '0')}` }), message: true, referral: false, sender: `wu${i}` }),
  () => ({ payload: whatsappStatus({ wamid: nextWamid(), status: 'delivered', recipient: '14155550000' }), message: false, referral: false, sender: null }),
  (i) => ({ payload: messengerText({ psid: `48700${i}`, text: `m ${i}`, mid: nextMid() }), message: true, referral: false, sender: `ms${i}` }),
  (i) => ({ payload: messengerGetStartedFromAd({ psid: `48800${i}`, adId: AD, mid: nextMid() }), message: true, referral: true, sender: `ms${i}` }),
  (i) => ({ payload: messengerReadAndReaction({ psid: `48900${i}`, mid: 'm_x' }), message: false, referral: false, sender: null }),
  (i) => ({ payload: messengerUserRef({ userRef: `ref${i}`, text: 'hi' }), message: false, referral: false, sender: null }),
  (i) => ({ payload: messengerEcho({ psid: `49000${i}`, text: 'echo' }), message: false, referral: false, sender: null }),
];

const scenario = fc.record({
  picks: fc.array(fc.nat({ max: kinds.length - 1 }), { minLength: 1, maxLength: 14 }),
  repeats: fc.array(fc.nat(), { maxLength: 10 }),
  order: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
  split: fc.integer({ min: 1, max: 4 }),
});

describe('inbound Meta deliveries (property)', () => {
  it('store each message once, fire each referral once, create nothing else', { timeout: 120_000 }, async () => {
    await fc.assert(fc.asyncProperty(scenario, async ({ picks, repeats, order, split }) => {
      const w = await startChannelWorld();
      try {
        const admin = w.server.api(w.server.adminToken);
        await admin.post('/ads', { adAccountId: 'act_1', adId: AD, name: 'Sale', channel: 'whatsapp_cloud_api', status: 'ACTIVE', objective: 'MESSAGES', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP' });
        const wf = await admin.post('/workflows', { name: 'Ads', trigger: { type: 'click_to_chat_ads', adAccountId: 'act_1', adIds: [AD] }, steps: [{ id: 'c', type: 'add_comment', config: { text: 'lead' } }] });
        await admin.post(`/workflows/${wf.body.id}/publish`);

        const events = picks.map((k, i) => kinds[k]!(i));
        // Each event's entries, plus repeats, shuffled, then cut into `split` deliveries per object.
        const pieces = [...events.map((e) => e.payload), ...repeats.map((r) => events[r % events.length]!.payload)]
          .map((p, i) => ({ p, key: order[i % order.length]! * 100 + i })).sort((a, b) => a.key - b.key).map((x) => x.p);
        const deliveries: Envelope[] = [];
        for (let i = 0; i < pieces.length; i += split) {
          const group = pieces.slice(i, i + split);
          for (const object of ['whatsapp_business_account', 'page']) {
            const entries = group.filter((g) => g.object === object).flatMap((g) => g.entry);
            if (entries.length) deliveries.push({ object, entry: entries });
          }
        }
        const answers = await Promise.all(deliveries.map((d) => w.deliver(d)));
        expect(answers.every((a) => a.status === 200)).toBe(true);

        const db = w.server.store.db;
        const n = async (q: Promise<{ n: unknown } | undefined>) => Number((await q)?.n ?? 0);
        expect(await n(db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).where('direction', '=', 'incoming').executeTakeFirst()))
          .toBe(events.filter((e) => e.message).length);
        expect(await n(db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).where('direction', '=', 'outgoing').where('kind', '=', 'message').executeTakeFirst())).toBe(0);
        expect(await w.server.events('ad.clicked')).toHaveLength(events.filter((e) => e.referral).length);
        expect(answers.flatMap((a) => a.body.runIds)).toHaveLength(events.filter((e) => e.referral).length);
        const senders = new Set(events.map((e) => e.sender).filter(Boolean));
        expect(await n(db.selectFrom('contacts').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())).toBe(senders.size);
        expect(await n(db.selectFrom('conversations').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())).toBe(senders.size);
      } finally {
        await w.close();
      }
    }), { numRuns: 15 });
  });
});
