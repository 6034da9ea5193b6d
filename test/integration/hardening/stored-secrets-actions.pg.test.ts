import { describePg, pgUrl } from '../../support/postgres';
import { storedSecretsActionsSuite } from './stored-secrets-actions-suite';

describePg('credentials quoted in stored errors, as run actions, the live stream and ad accounts answer them (PostgreSQL)', () => storedSecretsActionsSuite(pgUrl));
