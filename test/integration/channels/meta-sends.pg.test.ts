import { describePg, pgUrl } from '../../support/postgres';
import { metaSendsSuite } from './meta-sends-suite';

describePg('Send message on Meta channels (refusals, captions, templates), on PostgreSQL', () => {
  metaSendsSuite(pgUrl);
});
