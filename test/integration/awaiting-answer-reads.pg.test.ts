import { describePg, pgUrl } from '../support/postgres';
import { awaitingAnswerReadsSuite } from './awaiting-answer-reads-suite';

describePg('what waits on the customer\'s answer, read once (PostgreSQL)', () => {
  awaitingAnswerReadsSuite(pgUrl);
});
