import { describePg, pgUrl } from '../support/postgres';
import { assignRolesSuite } from './assign-roles-suite';

describePg('who may assign a conversation to whom (PostgreSQL)', () => {
  assignRolesSuite(pgUrl);
});
