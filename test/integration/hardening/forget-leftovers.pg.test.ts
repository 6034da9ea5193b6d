import { pgCommandStore } from '../../support/pg-command-store';
import { describePg } from '../../support/postgres';
import { forgetLeftoversSuite } from './forget-leftovers-suite';

describePg('after npm run forget-secrets: Sync now, install values, signing secret (PostgreSQL, COMPANION_SECRET_KEY)', () => forgetLeftoversSuite(pgCommandStore, true));
