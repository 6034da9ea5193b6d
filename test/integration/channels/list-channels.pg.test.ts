import { describePg, pgUrl } from '../../support/postgres';
import { listChannelsSuite } from './list-channels-suite';

describePg('where each conversation is, and its unread count, on PostgreSQL', () => {
  listChannelsSuite(pgUrl);
});
