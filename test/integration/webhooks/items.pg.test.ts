import { startTestServer } from '../../support/server';
import { describePg, pgUrl } from '../../support/postgres';
import { itemsContract } from './items-contract';

describePg('webhook batches read per item, as n8n items (PostgreSQL)', () => itemsContract(() => startTestServer({ databaseUrl: pgUrl()! })));
