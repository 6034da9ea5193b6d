import { standardFieldsSuite } from './standard-fields-suite';

standardFieldsSuite(() => undefined);
