import { askQuestionChannelSuite } from './ask-question-suite';

askQuestionChannelSuite(() => undefined);
