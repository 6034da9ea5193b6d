import { tagsAnyCaseSuite } from './tags-any-case-suite';

tagsAnyCaseSuite(() => undefined);
