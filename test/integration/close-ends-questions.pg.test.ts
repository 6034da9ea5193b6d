import { describePg, pgUrl } from '../support/postgres';
import { closeEndsQuestionsSuite } from './close-ends-questions-suite';

describePg('closing a conversation ends the workflows waiting there for the answer (PostgreSQL)', () => {
  closeEndsQuestionsSuite(pgUrl);
});
