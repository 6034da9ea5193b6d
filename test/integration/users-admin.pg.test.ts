import { describePg, pgUrl } from '../support/postgres';
import { usersAdminSuite } from './users-admin';

describePg('users admin on PostgreSQL', () => {
  usersAdminSuite(pgUrl);
});
