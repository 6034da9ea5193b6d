import { lateRefusalSuite } from './late-refusal-suite';

lateRefusalSuite(() => undefined);
