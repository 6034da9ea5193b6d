import { afterEach, beforeEach } from 'vitest';
import { describePg, pgUrl } from '../../support/postgres';
import { sendCancelSuite } from './send-cancel-suite';
import { startChannelWorld, type ChannelWorld } from './support';

describePg('cancelling a run during its Meta send (PostgreSQL)', () => {
  let w: ChannelWorld;
  beforeEach(async () => { w = await startChannelWorld({ databaseUrl: pgUrl()! }); });
  afterEach(async () => { await w.close(); });
  sendCancelSuite(() => w);
});
