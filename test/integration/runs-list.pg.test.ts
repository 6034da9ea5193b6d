import { describePg, pgUrl } from '../support/postgres';
import { runsListSuite } from './runs-list';

describePg('runs-list on PostgreSQL', () => {
  runsListSuite(pgUrl);
});
