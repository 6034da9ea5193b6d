import { describePg, pgUrl } from '../../support/postgres';
import { unreadableSecretsSuite } from './unreadable-secrets-suite';

describePg('a workflow sealed under another secret key (PostgreSQL)', () => unreadableSecretsSuite(pgUrl));
