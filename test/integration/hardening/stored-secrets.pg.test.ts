import { describePg, pgUrl } from '../../support/postgres';
import { storedSecretsSuite } from './stored-secrets-suite';

describePg('credentials quoted in errors stored by older releases (PostgreSQL)', () => storedSecretsSuite(pgUrl));
