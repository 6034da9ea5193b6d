import { describePg, pgUrl } from '../support/postgres';
import { peopleChangeLinesSuite } from './people-change-lines-suite';

describePg('people\'s assignments, closes and reopens in the thread (PostgreSQL)', () => {
  peopleChangeLinesSuite(pgUrl);
});
