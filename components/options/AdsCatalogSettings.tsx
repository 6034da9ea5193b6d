import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Ad, AD_CHANNELS } from '../../lib/contracts/ads';
import { errorMessage, request } from './api';
import { PLAIN_ERRORS } from './error-paths';
import { Field } from './Field';
import { keys, useAds } from './queries';
import { AdWithEligibility } from './schemas';

const FIELDS = [
  ['adAccountId', 'Ad account ID'], ['adId', 'Ad ID'], ['name', 'Name'], ['status', 'Status'],
  ['objective', 'Objective'], ['optimizationGoal', 'Optimization goal'], ['destinationType', 'Destination type'],
] as const;

const Reasons = ({ ad }: { ad: AdWithEligibility }) => (
  <ul className="reasons" aria-label={`Why ${ad.name} cannot trigger a workflow`}>{ad.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
);

/** The Click-to-Chat ads catalog; each ad says whether it can trigger a workflow. */
export function AdsCatalogSettings() {
  const client = useQueryClient();
  const ads = useAds();
  const { register, handleSubmit, reset, formState: { errors } } = useForm<Ad>({
    resolver: zodResolver(Ad, PLAIN_ERRORS),
    defaultValues: { adAccountId: '', adId: '', name: '', channel: 'whatsapp_cloud_api', status: 'ACTIVE', objective: 'MESSAGES', optimizationGoal: 'CONVERSATIONS', destinationType: 'WHATSAPP' },
  });
  const add = useMutation({
    mutationFn: (ad: Ad) => request(AdWithEligibility, 'POST', '/ads', ad),
    onSuccess: () => { reset(); void client.invalidateQueries({ queryKey: keys.ads }); },
  });
  return (
    <section className="panel" aria-labelledby="ads-h">
      <h3 id="ads-h">Ads catalog</h3>
      <table className="table" aria-label="Ads">
        <thead><tr><th>Ad</th><th>Account</th><th>Channel</th><th>Status</th><th>Eligible</th></tr></thead>
        <tbody>
          {ads.data?.ads.map((a) => (
            <tr key={`${a.adAccountId}/${a.adId}`}>
              <td>{a.name} <span className="muted">{a.adId}</span></td><td>{a.adAccountId}</td><td>{a.channel}</td><td>{a.status}</td>
              <td>{a.eligible ? 'Yes' : <>No<Reasons ad={a} /></>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="inline-form" noValidate onSubmit={handleSubmit((v) => add.mutate(v))}>
        {FIELDS.map(([key, label]) => (
          <Field key={key} label={label} error={errors[key]?.message}>{(p) => <input {...p} {...register(key)} />}</Field>
        ))}
        <Field label="Channel" error={errors.channel?.message}>
          {(p) => <select {...p} {...register('channel')}>{AD_CHANNELS.map((c) => <option key={c}>{c}</option>)}<option value="instagram">instagram (not eligible)</option></select>}
        </Field>
        <button type="submit" disabled={add.isPending}>Add ad</button>
      </form>
      {add.isError && <p className="error" role="alert">{errorMessage(add.error)}</p>}
      {add.data && (
        <div className={add.data.eligible ? 'notice' : 'notice warn'} role="status">
          <strong>{add.data.name}</strong> was added.{' '}
          {add.data.eligible ? 'It can trigger a Click-to-Chat workflow.' : <>It cannot trigger a workflow:<Reasons ad={add.data} /></>}
        </div>
      )}
    </section>
  );
}
