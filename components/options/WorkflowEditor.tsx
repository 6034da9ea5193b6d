import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { ChannelList } from '../../lib/contracts/channels';
import { ApiFailure, errorMessage, request } from './api';
import { clearDraft, saveDraft } from './draft-storage';
import type { WorkflowDraft } from './draft-types';
import { EditorCtx } from './editor-context';
import { detailsToMap, type ErrorMap } from './error-paths';
import { ErrorSummary } from './ErrorSummary';
import { FieldErrorsContext } from './errors-context';
import { Field } from './Field';
import { keys, useApps, useDefaultCountry, useFields, useWorkflow } from './queries';
import { replaceRoute } from './router';
import { STEP_LABELS } from './step-defaults';
import { StepList } from './StepList';
import { StatusBadge } from './StatusBadge';
import { TriggerEditor } from './TriggerEditor';
import { UnreadableSecretsNotice } from './UnreadableSecretsNotice';
import { useUnpublishChoice } from './UnpublishDialog';
import { useWorkflowSave } from './use-workflow-save';
import { checkDraft } from './validate-draft';
import { draftTriggerItems, stepVariablesAt, templateVariables, variableNotes } from './variables';

interface Props {
  id: string | undefined;
  initial: WorkflowDraft;
  /** The draft came from sessionStorage rather than the server. */
  restored: boolean;
  onDiscard(): void;
}

/** Edit a workflow: trigger and steps, validated as typed; the draft survives failed saves and reloads. */
export function WorkflowEditor({ id: routeId, initial, restored, onDiscard }: Props) {
  // A new workflow gets its id on first save; the editor stays mounted (errors and all).
  const [id, setId] = useState(routeId);
  const workflow = useWorkflow(id).data;
  const [draft, setDraft] = useState(initial);
  const [server, setServer] = useState<ErrorMap>({});
  const [failure, setFailure] = useState<string>();
  const [showAll, setShowAll] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [saved, setSaved] = useState(() => (restored ? '' : JSON.stringify(initial)));
  const { save, setStatus } = useWorkflowSave(id);
  const fieldList = useFields().data?.fields;
  const appList = useApps().data?.apps;
  // Runs read a phone number without its country code in the workspace's default country: so does the check.
  const country = useDefaultCountry().data;
  // Reply buttons' text limit depends on the Meta channels connected (lib/workflow/button-body.ts).
  const channelList = useQuery({ queryKey: keys.channels, queryFn: () => request(ChannelList, 'GET', '/channels') }).data?.channels;
  const buttonChannels = useMemo(() => channelList?.flatMap((c) => (c.kind === 'whatsapp' || c.kind === 'messenger' ? [c.kind] : [])), [channelList]);
  const fields = fieldList ?? [];
  const apps = appList ?? [];
  // The same checks as publishing; custom fields, apps (actions, trigger items) and the country only once they are known.
  const check = useMemo(() => checkDraft(draft, {
    ...(fieldList ? { fieldKeys: fieldList.map((f) => f.key), fields: fieldList } : {}),
    ...(country ? { defaultCountry: country.country } : {}),
    ...(buttonChannels ? { buttonChannels } : {}),
    ...(appList ? {
      actionInputs: (appId: string, key: string) => appList.find((a) => a.id === appId && a.installation)?.manifest.actions.find((a) => a.key === key)?.inputs,
      actionOutputs: (appId: string, key: string) => appList.find((a) => a.id === appId && a.installation)?.manifest.actions.find((a) => a.key === key)?.outputs.map((o) => o.variable),
      triggerItems: (appId: string, triggerKey: string) => draftTriggerItems({ type: 'mini_app', appId, triggerKey }, appList),
    } : {}),
  }), [draft, fieldList, appList, country, buttonChannels]);
  const dirty = JSON.stringify(draft) !== saved;
  const root = useRef<HTMLDivElement>(null);
  const [focusRequest, setFocusRequest] = useState(0);

  // After a refused save, take the admin to the first field to fix (or the summary when the
  // problem belongs to no one field); everything typed stays where it was.
  useEffect(() => {
    if (focusRequest === 0) return;
    const target = root.current?.querySelector<HTMLElement>('[aria-invalid="true"]') ?? root.current?.querySelector<HTMLElement>('.summary');
    target?.scrollIntoView?.({ block: 'center' });
    target?.focus({ preventScroll: true });
  }, [focusRequest]);

  useEffect(() => {
    if (dirty) saveDraft(id, draft);
  }, [draft, dirty, id]);

  const context = useMemo(() => ({
    variables: templateVariables(draft, fields, apps),
    variableNotes: variableNotes(draft, apps),
    variableNames: { fields, formFields: draft.trigger.type === 'shortcut' ? draft.trigger.form?.fields : undefined },
    stepVariables: stepVariablesAt(draft, apps),
    steps: draft.steps.map((s, i) => ({ id: s.id, label: `${i + 1}. ${STEP_LABELS[s.type]} (${s.id})` })),
    formFields: draft.trigger.type === 'shortcut' ? draft.trigger.form?.fields ?? [] : [],
  }), [draft, fields, apps]);

  const errors = useMemo(() => ({
    server, client: { ...check.warnings, ...check.errors }, showAll, touched,
    touch: (path: string) => {
      setTouched((t) => (t.has(path) ? t : new Set(t).add(path)));
      setServer((s) => {
        if (!(path in s)) return s;
        const { [path]: _gone, ...rest } = s;
        return rest;
      });
    },
  }), [server, check, showAll, touched]);

  const fail = (err: unknown) => {
    setFailure(errorMessage(err));
    setServer(err instanceof ApiFailure ? detailsToMap(err.details) : {});
    setFocusRequest((n) => n + 1);
  };

  /** Saves when needed; resolves to the workflow's id, or undefined when it could not be saved. */
  const persist = async (): Promise<string | undefined> => {
    setShowAll(true);
    setFailure(undefined);
    setServer({});
    if (Object.keys(check.errors).length > 0) {
      setFailure('Some fields need attention before saving.');
      setFocusRequest((n) => n + 1);
      return undefined;
    }
    if (id && !dirty) return id;
    try {
      const w = await save.mutateAsync(draft);
      clearDraft(id);
      // The server gives a webhook trigger its URL: show it without dropping anything typed since.
      const url = w.trigger.type === 'incoming_webhook' ? w.trigger.url : undefined;
      const next = url && draft.trigger.type === 'incoming_webhook' ? { ...draft, trigger: { ...draft.trigger, url } } : draft;
      setDraft((current) => (current === draft ? next : current));
      setSaved(JSON.stringify(next));
      if (!id) {
        setId(w.id);
        replaceRoute('workflows', w.id);
      }
      return w.id;
    } catch (err) {
      fail(err);
      return undefined;
    }
  };

  const publish = async (on: boolean) => {
    const workflowId = on ? await persist() : id;
    if (!workflowId) return;
    try {
      await setStatus.mutateAsync({ workflowId, publish: on });
      setFailure(undefined);
    } catch (err) {
      fail(err);
    }
  };

  const unpublish = useUnpublishChoice(async ({ id: workflowId }, cancelRuns) => {
    await setStatus.mutateAsync({ workflowId, publish: false, cancelRuns });
    setFailure(undefined);
  }, fail);

  const busy = save.isPending || setStatus.isPending || unpublish.counting;
  const published = workflow?.status === 'published';
  return (
    <FieldErrorsContext.Provider value={errors}>
      <EditorCtx.Provider value={context}>
        {/* Not a <form>: the form preview inside is one, and forms do not nest. */}
        <div className="editor" ref={root}>
          <div className="editor-bar">
            <a href="#/workflows">← Workflows</a>
            <Field label="Workflow name" path="name" className="grow">
              {(p) => <input {...p} value={draft.name} placeholder="e.g. Refund request" onChange={(e) => setDraft({ ...draft, name: e.target.value })} />}
            </Field>
            {workflow && <StatusBadge status={workflow.status} />}
            {workflow && <span className="muted">v{workflow.version}</span>}
            {dirty && <span className="muted" role="status">Unsaved changes</span>}
            <button type="button" disabled={busy} onClick={() => void persist()}>{save.isPending ? 'Saving…' : 'Save'}</button>
            {published
              ? <button type="button" disabled={busy} onClick={() => { if (id) void unpublish.ask({ id, name: workflow?.name ?? draft.name }); }}>Unpublish</button>
              : <button type="button" className="primary" disabled={busy} onClick={() => void publish(true)}>Publish</button>}
            {id && <a href={`#/workflows/${encodeURIComponent(id)}/runs`}>Run history</a>}
          </div>
          {restored && (
            <p className="notice" role="status">
              Restored unsaved changes from this tab. <button type="button" className="link" onClick={onDiscard}>Discard them</button>
            </p>
          )}
          {unpublish.dialog}
          {failure && <p className="error" role="alert">{failure}</p>}
          <ErrorSummary title="The server refused this workflow:" errors={server} />
          {showAll && <ErrorSummary title="To fix before saving:" errors={check.errors} />}
          {showAll && <ErrorSummary title="To fix before publishing:" errors={check.warnings} tone="warn" />}
          {id && workflow?.unreadableSecrets && draft.trigger.type === 'incoming_webhook' && (
            <UnreadableSecretsNotice workflowId={id} unreadable={workflow.unreadableSecrets} trigger={draft.trigger}
              onChange={(trigger) => setDraft((d) => ({ ...d, trigger }))} />
          )}
          <TriggerEditor trigger={draft.trigger} oncePerContact={draft.oncePerContact} workflowId={id}
            onChange={(trigger, oncePerContact) => setDraft({ ...draft, trigger, oncePerContact })} />
          <StepList steps={draft.steps} onChange={(steps) => setDraft({ ...draft, steps })} />
        </div>
      </EditorCtx.Provider>
    </FieldErrorsContext.Provider>
  );
}
