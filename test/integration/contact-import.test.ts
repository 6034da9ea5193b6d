import { contactImportSuite } from './contact-import-suite';

contactImportSuite(() => undefined);
