import { conversationDetailBoundSuite } from './conversation-detail-bound-suite';

conversationDetailBoundSuite(() => undefined);
