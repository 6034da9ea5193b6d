import { conversationActivitySuite } from './conversation-activity-suite';

conversationActivitySuite(() => undefined);
