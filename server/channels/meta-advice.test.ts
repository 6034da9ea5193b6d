import { describe, expect, it } from 'vitest';
import { explainMetaError, metaErrorCode, refusedAsReEngagement } from './meta-advice';

describe('explainMetaError', () => {
  it.each([
    ['Meta error 131026 (OAuthException): (#131026) Message Undeliverable', /^WhatsApp could not deliver it: .* \(Meta error 131026 \(OAuthException\)/],
    ['Meta error 131047: Re-engagement message — Message failed to send', /^WhatsApp says more than 24 hours passed .* \(Meta error 131047: Re-engagement/],
    ['Meta error 131049: Meta chose not to deliver.', /^Meta chose not to deliver this marketing message .* \(Meta error 131049:/],
    ['Meta error 132001 (OAuthException): (#132001) Template name does not exist', /^Meta error 132001 /],
  ])('%s', (raw, shown) => expect(explainMetaError(raw)).toMatch(shown));

  it('leaves no error, errors without a code, and an explained one as they are', () => {
    expect(explainMetaError(null)).toBeNull();
    expect(explainMetaError('Meta answered without a message id')).toBe('Meta answered without a message id');
    const once = explainMetaError('Meta error 131026: Message Undeliverable');
    expect(explainMetaError(once)).toBe(once);
  });

  it('reads the code of a send and of a status webhook; a refusal is 131047 only when failed', () => {
    expect(metaErrorCode('Meta error 131047/2494010 (OAuthException): x')).toBe(131047);
    expect(refusedAsReEngagement({ status: 'failed', error: 'Meta error 131047: x' })).toBe(true);
    expect(refusedAsReEngagement({ status: 'accepted', error: null })).toBe(false);
  });
});
