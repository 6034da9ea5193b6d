import { describe } from 'vitest';
import { askQuotedReplySuite } from './ask-quoted-reply-suite';

describe('a Chatwoot customer quoting one of two workflows\' questions', () => {
  askQuotedReplySuite(() => undefined);
});
