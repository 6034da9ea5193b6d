import { describePg, pgUrl } from '../../support/postgres';
import { chatwootAnswerSecretsSuite } from './answer-secrets-suite';

describePg('Chatwoot answers never show a token, wherever they are kept, on PostgreSQL', () => {
  chatwootAnswerSecretsSuite(pgUrl);
});
