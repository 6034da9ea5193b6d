import { startTestServer } from '../../support/server';
import { describePg, pgUrl } from '../../support/postgres';
import { guestOrdersContract } from './guest-orders-contract';

describePg('webhook deliveries naming no contact (PostgreSQL)', () => guestOrdersContract(() => startTestServer({ databaseUrl: pgUrl()!, workers: false })));
