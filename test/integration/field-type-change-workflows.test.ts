import { fieldTypeChangeSuite } from './field-type-change-workflows-suite';

fieldTypeChangeSuite(() => undefined);
