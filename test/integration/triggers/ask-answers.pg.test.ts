import { describePg, pgUrl } from '../../support/postgres';
import { askAnswersSuite } from './ask-answers-suite';

describePg('Ask a Question answers on PostgreSQL', () => {
  askAnswersSuite(pgUrl);
});
