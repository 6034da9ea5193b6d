import { messageKindsSuite } from './message-kinds-suite';

messageKindsSuite(() => undefined);
