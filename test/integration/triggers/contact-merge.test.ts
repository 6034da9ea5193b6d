import { contactMergeSuite } from './contact-merge-suite';

contactMergeSuite(() => undefined);
