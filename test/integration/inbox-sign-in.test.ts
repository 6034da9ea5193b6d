import { inboxSignInSuite } from './inbox-sign-in';

inboxSignInSuite();
