import { metaSendsSuite } from './meta-sends-suite';

metaSendsSuite(() => undefined);
