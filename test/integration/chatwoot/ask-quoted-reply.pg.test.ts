import { describePg, pgUrl } from '../../support/postgres';
import { askQuotedReplySuite } from './ask-quoted-reply-suite';

describePg('a Chatwoot customer quoting one of two workflows\' questions, on PostgreSQL', () => {
  askQuotedReplySuite(pgUrl);
});
