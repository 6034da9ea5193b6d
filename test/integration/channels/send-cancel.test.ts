import { afterEach, beforeEach, describe } from 'vitest';
import { sendCancelSuite } from './send-cancel-suite';
import { startChannelWorld, type ChannelWorld } from './support';

describe('cancelling a run during its Meta send (SQLite)', () => {
  let w: ChannelWorld;
  beforeEach(async () => { w = await startChannelWorld(); });
  afterEach(async () => { await w.close(); });
  sendCancelSuite(() => w);
});
