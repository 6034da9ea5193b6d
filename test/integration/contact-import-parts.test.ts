import { contactImportPartsSuite } from './contact-import-parts-suite';

contactImportPartsSuite(() => undefined);
