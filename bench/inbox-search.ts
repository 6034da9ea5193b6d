import { sql } from 'kysely';
import { startTestServer, type TestServer } from '../test/support/server';

// The inbox list's search and filters on a big workspace: 25,000 conversations with 200,000
// messages (8 each), on SQLite, and on PostgreSQL when BENCH_DATABASE_URL (or TEST_DATABASE_URL)
// is set. Each case is GET /conversations over loopback as the inbox asks for it (the open tab's
// first 50 rows, with the total), timed as the median of 15 after 3 to warm up. A case the
// server does not take (a filter before it existed) is reported as such.
// Run: npx tsx bench/inbox-search.ts

const CONVERSATIONS = Number(process.env.BENCH_CONVERSATIONS ?? 25_000);
const PER_CONVERSATION = 8;
const WORDS = ['order', 'refund', 'delivery', 'thanks', 'hello', 'invoice', 'address', 'payment', 'tracking', 'size', 'colour', 'return'];
const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1) + minutes * 60_000).toISOString();
const pad = (n: number, w = 6) => String(n).padStart(w, '0');

function textOf(c: number, m: number): string {
  // A phrase only 20 conversations hold; a word about a third of messages hold; letters beyond ASCII in a few.
  if (m === 3 && c % 1250 === 0) return `Hi, the parcel never came and the box was open (${c})`;
  const w = (k: number) => WORDS[(c * 7 + m * 3 + k) % WORDS.length]!;
  return `${m % 3 === 0 ? 'Olá, ' : ''}About my ${w(0)} and the ${w(1)}: ${w(2)} ${pad(c)}-${m}${c % 50 === 0 ? ' ação' : ''}`;
}

async function seed(s: TestServer, agentId: string) {
  const db = s.store.db;
  const channel = await db.selectFrom('connections').select(['id', 'kind']).execute();
  for (let start = 0; start < CONVERSATIONS; start += 500) {
    const ids = Array.from({ length: Math.min(500, CONVERSATIONS - start) }, (_, k) => start + k);
    await db.insertInto('contacts').values(ids.map((i) => ({ id: `con_BENCH${pad(i, 21)}`, first_name: `Person`, last_name: pad(i), phone: `+3460${pad(i, 7)}`, email: null, tags: '[]', fields: '{}', created_at: at(i), updated_at: at(i) }))).execute();
    await db.insertInto('conversations').values(ids.map((i) => ({
      id: `cnv_BENCH${pad(i, 21)}`, contact_id: `con_BENCH${pad(i, 21)}`, status: i % 5 === 4 ? 'closed' : 'open', opened_by_source: 'api', assignee_id: i % 3 === 0 ? agentId : null,
      opened_at: at(i), closed_at: i % 5 === 4 ? at(i + 1) : null,
      // Half on WhatsApp, 2% on Messenger, the rest built-in (the connection ids are the stand-ins').
      channel_type: i % 2 === 0 ? 'whatsapp' : i % 50 === 1 ? 'messenger' : null,
      connection_id: channel.length && (i % 2 === 0 || i % 50 === 1) ? channel.find((c) => c.kind === (i % 2 === 0 ? 'whatsapp' : 'messenger'))?.id ?? null : null,
    }))).execute();
    const messages = ids.flatMap((i) => Array.from({ length: PER_CONVERSATION }, (_, m) => ({
      id: `msg_BENCH${pad(i, 13)}${pad(m, 8)}`, conversation_id: `cnv_BENCH${pad(i, 21)}`, direction: m % 2 === 0 ? 'incoming' : 'outgoing', kind: 'message',
      author_type: m % 2 === 0 ? 'contact' : 'user', author_id: m % 2 === 0 ? null : agentId, text: textOf(i, m), created_at: at(i * 10 + m),
    })));
    for (let k = 0; k < messages.length; k += 1000) await db.insertInto('messages').values(messages.slice(k, k + 1000)).execute();
    // The agent has read 9 in 10 of them.
    await db.insertInto('conversation_reads').values(ids.filter((i) => i % 10 !== 0).map((i) => ({ conversation_id: `cnv_BENCH${pad(i, 21)}`, user_id: agentId, seen_at: at(i * 10 + 100) }))).execute();
  }
  // Reads are kept since before any of it, and the agent was there: what they did not read is unread.
  await db.updateTable('settings').set({ value: JSON.stringify(at(0)) }).where('key', '=', 'unread_since').execute();
  await db.updateTable('users').set({ created_at: at(0) }).where('id', '=', agentId).execute();
  if (s.store.dialect === 'postgres') await sql`ANALYZE`.execute(db);
}

const CASES: [string, string][] = [
  ['open tab, no search', ''],
  ['contact name (one)', 'q=Person%20012345'],
  ['phrase in 20 conversations\' messages', 'q=parcel%20never%20came'],
  ['word in a third of messages', 'q=refund'],
  ['no match', 'q=zqxjv'],
  ['beyond ASCII ("ação", 500 conversations)', 'q=a%C3%A7%C3%A3o'],
  ['beyond ASCII with ASCII trigrams ("Olá, about")', 'q=Ol%C3%A1%2C%20about'],
  ['Unread (10% unread)', 'unread=true'],
  ['channel WhatsApp (50%)', 'channel=whatsapp'],
  ['channel Messenger (2%)', 'channel=messenger'],
  ['Mine + Unread + WhatsApp + word', 'assigneeId=me&unread=true&channel=whatsapp&q=refund'],
];

async function measure(label: string, databaseUrl: string | undefined) {
  const s = await startTestServer({ ...(databaseUrl ? { databaseUrl } : {}), workers: false });
  try {
    const made = await s.createUser('agent', { name: 'Bench' });
    const api = s.api(made.token);
    const started = Date.now();
    await seed(s, made.user.id);
    console.log(`${label}: seeded ${CONVERSATIONS} conversations, ${CONVERSATIONS * PER_CONVERSATION} messages in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const [name, query] of CASES) {
      const url = `/conversations?status=open&limit=50${query ? `&${query}` : ''}`;
      const first = await api.get(url);
      if (first.status !== 200) { console.log(`  ${name.padEnd(42)} ${first.status} (${first.body?.error?.message?.slice(0, 60)})`); continue; }
      const times: number[] = [];
      for (let i = 0; i < 18; i++) {
        const t = process.hrtime.bigint();
        await api.get(url);
        if (i >= 3) times.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
      times.sort((a, b) => a - b);
      console.log(`  ${name.padEnd(42)} total ${`${first.body.total}${first.body.totalIsLowerBound ? '+' : ''}`.padStart(6)}  median ${times[7]!.toFixed(1).padStart(7)} ms  max ${times.at(-1)!.toFixed(1).padStart(7)} ms`);
    }
  } finally {
    await s.close();
  }
}

await measure('SQLite', undefined);
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (pgUrl) await measure('PostgreSQL', pgUrl);
