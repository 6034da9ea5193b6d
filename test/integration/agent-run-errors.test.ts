import { agentRunErrorsSuite } from './agent-run-errors-suite';

agentRunErrorsSuite(() => undefined);
