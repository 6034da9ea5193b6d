import { describePg, pgUrl } from '../support/postgres';
import { questionTimeLimitSuite } from './question-time-limit-suite';

describePg('a question past its time limit, on every reader (PostgreSQL)', () => {
  questionTimeLimitSuite(pgUrl);
});
