import { usersAdminSuite } from './users-admin';

usersAdminSuite();
