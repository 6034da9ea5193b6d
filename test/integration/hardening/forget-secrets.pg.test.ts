import { pgCommandStore } from '../../support/pg-command-store';
import { describePg } from '../../support/postgres';
import { forgetSecretsSuite } from './forget-secrets-suite';

describePg('npm run forget-secrets after the secret key is lost (PostgreSQL, COMPANION_SECRET_KEY)', () => forgetSecretsSuite(pgCommandStore, true));
