import { startTestServer } from '../../support/server';
import { describePg, pgUrl } from '../../support/postgres';
import { unmatchedContract } from './unmatched-contract';

describePg('webhook acks list unmatched identifier values (PostgreSQL)', () => unmatchedContract(() => startTestServer({ databaseUrl: pgUrl()!, workers: false })));
