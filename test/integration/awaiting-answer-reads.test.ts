import { awaitingAnswerReadsSuite } from './awaiting-answer-reads-suite';

awaitingAnswerReadsSuite(() => undefined);
