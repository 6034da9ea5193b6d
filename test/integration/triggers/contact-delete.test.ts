import { contactDeleteSuite } from './contact-delete-suite';

contactDeleteSuite(() => undefined);
