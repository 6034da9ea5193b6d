import { adChannelLabel } from './ad-channel-label';
import { Field, GroupError } from './Field';
import type { TriggerDraftOf } from './draft-types';
import { useAdAccounts, useAds } from './queries';

type T = TriggerDraftOf<'click_to_chat_ads'>;

/** Where the ad's leads write: a WhatsApp-only step (a template) cannot reach Messenger leads. */
const channelLabel = adChannelLabel;

/** Click-to-Chat: an ad account, then its ads; an ineligible ad is shown disabled with the reasons. */
export function AdPicker({ trigger, onChange }: { trigger: T; onChange(t: T): void }) {
  const ads = useAds();
  const linked = useAdAccounts();
  const catalog = ads.data?.ads ?? [];
  const accounts = [...new Set(catalog.map((a) => a.adAccountId))];
  // The name Settings shows for a linked account, its id beside (hand-entered ads' accounts have only the id).
  const names = new Map((linked.data?.accounts ?? []).map((a) => [a.adAccountId, a.name]));
  const accountLabel = (id: string) => (names.get(id) && names.get(id) !== id ? `${names.get(id)} (${id})` : id);
  const inAccount = catalog.filter((a) => a.adAccountId === trigger.adAccountId);
  const toggle = (adId: string, on: boolean) =>
    onChange({ ...trigger, adIds: on ? [...trigger.adIds, adId] : trigger.adIds.filter((id) => id !== adId) });
  return (
    <>
      {ads.isError && <p className="error" role="alert">Could not load the ads catalog.</p>}
      {ads.isSuccess && catalog.length === 0 && <p className="hint">The ads catalog is empty: add ads under Settings.</p>}
      <Field label="Ad account" path="trigger.adAccountId">
        {(p) => (
          <select {...p} value={trigger.adAccountId} onChange={(e) => onChange({ ...trigger, adAccountId: e.target.value, adIds: [] })}>
            <option value="">Choose an ad account…</option>
            {accounts.map((a) => <option key={a} value={a}>{accountLabel(a)}</option>)}
          </select>
        )}
      </Field>
      {trigger.adAccountId && (
        <fieldset className="ads">
          <legend>Ads</legend>
          <ul className="stack">
            {inAccount.map((ad) => {
              const reasonsId = `ad-${ad.adId}-reasons`;
              return (
                <li key={ad.adId} className={ad.eligible ? 'ad' : 'ad ineligible'}>
                  <label className="check">
                    <input type="checkbox" disabled={!ad.eligible} checked={trigger.adIds.includes(ad.adId)}
                      aria-describedby={ad.eligible ? undefined : reasonsId}
                      onChange={(e) => toggle(ad.adId, e.target.checked)} />
                    {ad.name} <span className="muted">({channelLabel(ad.channel)} · {ad.adId} · {ad.status})</span>
                  </label>
                  {!ad.eligible && (
                    <ul id={reasonsId} className="reasons" aria-label={`Why ${ad.name} cannot be chosen`}>
                      {ad.reasons.map((r) => <li key={r}>{r}</li>)}
                    </ul>
                  )}
                </li>
              );
            })}
          </ul>
          <GroupError path="trigger.adIds" />
        </fieldset>
      )}
    </>
  );
}
