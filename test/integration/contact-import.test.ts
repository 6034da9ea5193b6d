import { contactImportSuite } from './contact-import-suite';
import { contactImportMatchSuite } from './contact-import-match-suite';
import { contactImportValuesSuite } from './contact-import-values-suite';

contactImportSuite(() => undefined);
contactImportValuesSuite(() => undefined);
contactImportMatchSuite(() => undefined);
