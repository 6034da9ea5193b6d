import { startTestServer } from '../../support/server';
import { describePg, pgUrl } from '../../support/postgres';
import { providerIdsContract } from './provider-ids-contract';

describePg('webhook deliveries de-duplicated by their sender\'s delivery id (PostgreSQL)', () => providerIdsContract(() => startTestServer({ databaseUrl: pgUrl()!, workers: false })));
