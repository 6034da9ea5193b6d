import { describePg, pgUrl } from '../support/postgres';
import { threadPagePlansSuite } from './thread-page-plans-suite';

describePg('a long thread read a page at a time (PostgreSQL)', () => {
  threadPagePlansSuite(pgUrl);
});
