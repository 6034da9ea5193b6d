import { describePg, pgUrl } from '../support/postgres';
import { updatedSincePlansSuite } from './updated-since-plans-suite';

describePg('GET /conversations?updatedSince= at scale (PostgreSQL)', () => {
  updatedSincePlansSuite(pgUrl);
});
