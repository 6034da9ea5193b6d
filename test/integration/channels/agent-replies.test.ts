import { agentRepliesSuite } from './agent-replies-suite';

agentRepliesSuite(() => undefined);
