import { graphUnreachableSuite } from './graph-unreachable-suite';

graphUnreachableSuite(() => undefined);
