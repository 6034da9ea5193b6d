import { describePg, pgUrl } from '../../support/postgres';
import { askQuestionChannelSuite } from './ask-question-suite';

describePg('Ask a Question on Meta channels, on PostgreSQL', () => {
  askQuestionChannelSuite(pgUrl);
});
