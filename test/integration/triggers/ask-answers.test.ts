import { askAnswersSuite } from './ask-answers-suite';

askAnswersSuite(() => undefined);
