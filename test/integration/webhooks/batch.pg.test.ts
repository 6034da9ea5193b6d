import { startTestServer } from '../../support/server';
import { describePg, pgUrl } from '../../support/postgres';
import { batchContract } from './batch-contract';

describePg('webhook group commit (PostgreSQL)', () => batchContract(() => startTestServer({ databaseUrl: pgUrl()! })));
