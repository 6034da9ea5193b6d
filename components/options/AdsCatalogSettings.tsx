import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Ad, AD_CHANNELS } from '../../lib/contracts/ads';
import { adChannelLabel } from './ad-channel-label';
import { ApiFailure, refusalMessage, request } from './api';
import { PLAIN_ERRORS, placeDetails } from './error-paths';
import { FieldErrorsContext } from './errors-context';
import { Field, FormError, useServerFieldErrors } from './Field';
import { keys, useAds } from './queries';
import { AdWithEligibility } from './schemas';

const FIELDS = [
  ['adAccountId', 'Ad account ID'], ['adId', 'Ad ID'], ['name', 'Name'], ['status', 'Status'],
  ['objective', 'Objective'], ['optimizationGoal', 'Optimization goal'], ['destinationType', 'Destination type'],
] as const;
const INPUTS = [...FIELDS.map(([key]) => key), 'channel'] as const;
// Adding an ad id that exists updates that ad (no duplicate 409): any other refusal shows on top.
const refusal = (err: unknown) => placeDetails(err instanceof ApiFailure ? err.details : [], INPUTS);

const Reasons = ({ ad }: { ad: AdWithEligibility }) => (
  <ul className="reasons" aria-label={`Why ${ad.name} cannot trigger a workflow`}>{ad.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
);

/** The Click-to-Chat ads catalog; each ad says whether it can trigger a workflow. */
export function AdsCatalogSettings() {
  const client = useQueryClient();
  const ads = useAds();
  const [serverErrors, setServerErrors] = useServerFieldErrors();
  const { register, handleSubmit, reset, setFocus, formState: { errors } } = useForm<Ad>({
    resolver: zodResolver(Ad, PLAIN_ERRORS),
    defaultValues: { adAccountId: '', adId: '', name: '', channel: 'whatsapp_cloud_api', status: 'ACTIVE', objective: 'MESSAGES', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP' },
  });
  const add = useMutation({
    mutationFn: (ad: Ad) => request(AdWithEligibility, 'POST', '/ads', ad),
    onMutate: () => setServerErrors({}),
    onError: (err) => {
      const { placed } = refusal(err);
      setServerErrors(placed);
      const first = INPUTS.find((f) => f in placed);
      if (first) setFocus(first);
    },
    onSuccess: () => { reset(); void client.invalidateQueries({ queryKey: keys.ads }); },
  });
  return (
    <section className="panel" aria-labelledby="ads-h">
      <h3 id="ads-h">Ads catalog</h3>
      <div className="table-wrap">
        <table className="table" aria-label="Ads">
          <thead><tr><th>Ad</th><th>Account</th><th>Channel</th><th>Status</th><th>Eligible</th></tr></thead>
          <tbody>
            {ads.data?.ads.map((a) => (
              <tr key={`${a.adAccountId}/${a.adId}`}>
                <td>{a.name} <span className="muted">{a.adId}</span></td><td>{a.adAccountId}</td><td>{adChannelLabel(a.channel)}</td><td>{a.status}</td>
                <td>{a.eligible ? 'Yes' : <>No<Reasons ad={a} /></>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {/* Click-to-Chat triggers pick their ads from here: an empty list says how it fills. */}
      {ads.data?.ads.length === 0 && <p className="muted">No ads yet: link an ad account above to read its ads from Meta, or add an ad by hand below. Click-to-Chat workflows pick their ads from this list.</p>}
      <FormError message={add.error ? refusalMessage(add.error, refusal(add.error).placed) : undefined} details={add.error ? refusal(add.error).rest : undefined} />
      <FieldErrorsContext.Provider value={serverErrors}>
        <form className="inline-form" noValidate onSubmit={handleSubmit((v) => add.mutate(v))}>
          {FIELDS.map(([key, label]) => (
            // "Name", "Ad account ID" and "Channel" are other sections' too: named by this one.
            <Field key={key} label={label} path={key} error={errors[key]?.message}>{(p) => <input {...p} aria-label={`${label} of the new ad`} {...register(key)} />}</Field>
          ))}
          <Field label="Channel" path="channel" error={errors.channel?.message}>
            {(p) => <select {...p} aria-label="Channel of the new ad" {...register('channel')}>{AD_CHANNELS.map((c) => <option key={c} value={c}>{adChannelLabel(c)}</option>)}<option value="instagram">{adChannelLabel('instagram')} (not eligible)</option></select>}
          </Field>
          <button type="submit" disabled={add.isPending}>Add ad</button>
        </form>
      </FieldErrorsContext.Provider>
      {add.data && (
        <div className={add.data.eligible ? 'notice' : 'notice warn'} role="status">
          <strong>{add.data.name}</strong> was added.{' '}
          {add.data.eligible ? 'It can trigger a Click-to-Chat workflow.' : <>It cannot trigger a workflow:<Reasons ad={add.data} /></>}
        </div>
      )}
    </section>
  );
}
