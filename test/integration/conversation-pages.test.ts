import { conversationPagesSuite } from './conversation-pages-suite';

conversationPagesSuite(() => undefined);
