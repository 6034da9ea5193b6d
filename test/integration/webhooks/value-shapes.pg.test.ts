import { startTestServer } from '../../support/server';
import { describePg, pgUrl } from '../../support/postgres';
import { valueShapesContract } from './value-shapes-contract';

describePg('webhook values as users see them: lists, big ids, amounts (PostgreSQL)', () =>
  valueShapesContract(() => startTestServer({ databaseUrl: pgUrl()!, env: { COMPANION_ALLOW_PRIVATE_URLS: '127.0.0.1' } })));
