import { replyKeysSuite } from './reply-keys-suite';

replyKeysSuite(() => undefined);
