import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AdAccount, AdAccountList, AdSyncResult, AdWorkflowWarnings } from '../../lib/contracts/ads';
import { ApiFailure, errorMessage, NoBody, refusalMessage, request } from './api';
import { placeDetails } from './error-paths';
import { FieldErrorsContext } from './errors-context';
import { Field, FormError, useServerFieldErrors } from './Field';
import { SecretInput } from './SecretInput';
import { keys } from './queries';

const accountsKey = keys.adAccounts;
/** Local time, as Runs and Workflows show theirs. */
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : 'never');
const warningsKey = ['ad-workflow-warnings'] as const;
const INPUTS = ['adAccountId', 'accessToken'] as const;
// Unlinking forgets the token (never shown again): linking back means fetching one from Meta.
const unlinkQuestion = (name: string) => `Unlink ${name}? Its token is forgotten and its ads are no longer read from Meta; `
  + 'the ads stay in the catalog as they are now. Linking it again needs a token.';
const refusal = (err: unknown) => placeDetails(err instanceof ApiFailure ? err.details : [], INPUTS);

/** Ad accounts linked through the Marketing API: the catalog syncs from them (now, and hourly). */
export function AdAccountsSettings() {
  const client = useQueryClient();
  const accounts = useQuery({ queryKey: accountsKey, queryFn: () => request(AdAccountList, 'GET', '/ads/accounts') });
  const warnings = useQuery({ queryKey: warningsKey, queryFn: () => request(AdWorkflowWarnings, 'GET', '/ads/workflow-warnings') });
  const [values, setValues] = useState({ adAccountId: '', accessToken: '' });
  const [serverErrors, setServerErrors] = useServerFieldErrors();
  const refresh = () => Promise.all([accountsKey, warningsKey, keys.ads].map((queryKey) => client.invalidateQueries({ queryKey })));
  const link = useMutation({
    mutationFn: () => request(AdAccount, 'POST', '/ads/accounts', values),
    onMutate: () => setServerErrors({}),
    onError: (err) => setServerErrors(refusal(err).placed),
    onSuccess: () => { setValues({ adAccountId: '', accessToken: '' }); void refresh(); },
  });
  const sync = useMutation({ mutationFn: (id: string) => request(AdSyncResult, 'POST', `/ads/accounts/${encodeURIComponent(id)}/sync`), onSettled: () => void refresh() });
  const unlink = useMutation({ mutationFn: (id: string) => request(NoBody, 'DELETE', `/ads/accounts/${encodeURIComponent(id)}`), onSuccess: () => void refresh() });
  return (
    <section className="panel" aria-labelledby="ad-accounts-h">
      <h3 id="ad-accounts-h">Ad accounts</h3>
      <p className="hint">A linked account’s ads are read from Meta’s Marketing API when it is linked, on demand and every hour. Ads of other accounts can still be added by hand below.</p>
      {warnings.data && warnings.data.workflows.length > 0 && (
        <div className="notice warn" role="alert" aria-label="Workflows whose ad can no longer trigger">
          <strong>These published workflows name an ad that can no longer trigger them:</strong>
          <ul>{warnings.data.workflows.map((wf) => (
            <li key={wf.workflowId}>{wf.name}: {wf.ads.map((a) => `${a.adId} (${a.reasons.join('; ')})`).join(', ')}</li>
          ))}</ul>
        </div>
      )}
      <div className="table-wrap">
        <table className="table" aria-label="Ad accounts">
          <thead><tr><th>Account</th><th>Token</th><th>Last sync</th><th /></tr></thead>
          <tbody>
            {accounts.data?.accounts.map((a) => (
              <tr key={a.id}>
                <td>{a.name} <span className="muted">{a.adAccountId}</span></td>
                <td>{a.tokenLastFour}</td>
                <td>{a.lastError ? <span className="error">{a.lastError}</span> : a.lastSyncedAt ? <time dateTime={a.lastSyncedAt} title={a.lastSyncedAt}>{when(a.lastSyncedAt)}</time> : 'never'}</td>
                <td>
                  <button type="button" disabled={sync.isPending} onClick={() => sync.mutate(a.id)} aria-label={`Sync ${a.name} now`}>Sync now</button>{' '}
                  <button type="button" className="danger" onClick={() => { if (window.confirm(unlinkQuestion(a.name))) unlink.mutate(a.id); }} aria-label={`Unlink ${a.name}`}>Unlink</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {accounts.data?.accounts.length === 0 && <p className="muted">No ad account linked yet.</p>}
      {unlink.error && <p className="error" role="alert">{errorMessage(unlink.error)}</p>}
      {sync.data && <p role="status">{sync.data.synced} ads read from {sync.data.account.adAccountId}{sync.data.noLongerListed ? `; ${sync.data.noLongerListed} no longer listed, marked DELETED` : ''}.</p>}
      {sync.error && <p className="error" role="alert">{errorMessage(sync.error)}</p>}
      <FormError message={link.error ? refusalMessage(link.error, refusal(link.error).placed) : undefined} details={link.error ? refusal(link.error).rest : undefined} />
      <FieldErrorsContext.Provider value={serverErrors}>
        <form className="inline-form" noValidate aria-label="Link an ad account" onSubmit={(e) => { e.preventDefault(); link.mutate(); }}>
          <Field label="Ad account ID" path="adAccountId" hint="act_… as in Ads Manager">
            {(p) => <input {...p} aria-label="Ad account ID to link" value={values.adAccountId} onChange={(e) => setValues((v) => ({ ...v, adAccountId: e.target.value }))} />}
          </Field>
          <Field label="Marketing API token" path="accessToken" hint="A System User token with ads_read">
            {(p) => <SecretInput {...p} what="Marketing API token" value={values.accessToken} onChange={(e) => setValues((v) => ({ ...v, accessToken: e.target.value }))} />}
          </Field>
          <button type="submit" disabled={link.isPending}>{link.isPending ? 'Checking with Meta and reading its ads…' : 'Link account'}</button>
        </form>
      </FieldErrorsContext.Provider>
    </section>
  );
}
