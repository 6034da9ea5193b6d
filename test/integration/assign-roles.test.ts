import { assignRolesSuite } from './assign-roles-suite';

assignRolesSuite(() => undefined);
