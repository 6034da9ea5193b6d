// GET /api/v1/chatwoot/conversations/resolve (query and answer: ChatwootResolveQuery and
// ChatwootResolveResult in ./chatwoot): which companion conversation mirrors a Chatwoot
// conversation. The extension's Chatwoot adapter and the Dashboard App page ask it before a
// launch (Chatwoot names conversations by account + display id, the launch API by our id).

/** Error code of a 404 when no connected Chatwoot account matches the origin and account id. */
export const CHATWOOT_NOT_CONNECTED = 'chatwoot_not_connected';
