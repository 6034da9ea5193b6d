import { useEffect, useMemo, useState } from 'react';
import { appManifestBody, AppManifestBody, type AppManifest } from '../../../lib/contracts/apps';
import type { AllowedHost } from '../../../lib/contracts/app-media-url';
import { errorMessage } from '../api';
import { issuesToMap, PLAIN_ERRORS, type ErrorMap } from '../error-paths';
import type { FieldErrors } from '../errors-context';
import { checkDraft, onInputs, plainIssues } from './check';
import { emptyDraft, manifestFromDraft, type Draft } from './draft';
import { draftFromManifest } from './from-manifest';
import { refusalOf } from './refusal';

/** What the JSON text area's last check found: not JSON, or the contract's issues by path. */
export type JsonProblems = { message: string } | { paths: ErrorMap } | undefined;

const isEmpty = (d: Draft) => JSON.stringify(d) === JSON.stringify(emptyDraft());

/**
 * The builder's state: the form's draft or the JSON text (one of them is being edited; switching
 * carries the manifest over), the problems to show, and the last refusal from the server.
 */
export function useBuilder(initial: AppManifest | undefined, error: unknown, onSubmit: (m: AppManifest) => void, allowedMedia?: AllowedHost) {
  // The server's allow-listed media hosts this app's stored media are on: a re-save keeps them.
  const body = useMemo(() => (allowedMedia ? appManifestBody(allowedMedia) : AppManifestBody), [allowedMedia]);
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [draft, setDraft] = useState<Draft>(() => (initial ? draftFromManifest(initial).draft : emptyDraft()));
  const [text, setText] = useState('');
  /** Why the mode did not switch. */
  const [switchProblem, setSwitchProblem] = useState<string>();
  /** Pasted keys the contract does not know, left out of the form. */
  const [ignored, setIgnored] = useState<string[]>([]);
  const [jsonProblems, setJsonProblems] = useState<JsonProblems>();
  // Before the first submit, a problem shows once its input was changed; after it, all of them.
  const [showAll, setShowAll] = useState(false);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [focusTick, setFocusTick] = useState(0);
  // A refusal stays until the admin submits again (it goes when a local check fails then too).
  const [dismissed, setDismissed] = useState<unknown>();
  const refusal = useMemo(() => (error && error !== dismissed ? refusalOf(error) : undefined), [error, dismissed]);
  const [server, setServer] = useState<ErrorMap>({});
  // The draft as it was refused: its details name rows by their place then.
  useEffect(() => setServer(refusal ? onInputs(refusal.paths, draft) : {}), [refusal]);

  const checked = useMemo(() => checkDraft(draft, body), [draft, body]);
  const fieldErrors = useMemo<FieldErrors>(() => ({
    server,
    client: checked.errors,
    showAll,
    touched,
    touch: (path) => {
      setTouched((t) => (t.has(path) ? t : new Set([...t, path])));
      setServer((s) => {
        if (!(path in s)) return s;
        const { [path]: _gone, ...rest } = s;
        return rest;
      });
    },
  }), [server, checked.errors, showAll, touched]);

  const refuseLocally = () => {
    setDismissed(error);
    setFocusTick((n) => n + 1);
  };

  const submit = () => {
    setSwitchProblem(undefined);
    if (mode === 'form') {
      if (!checked.data) {
        setShowAll(true);
        refuseLocally();
        return;
      }
      onSubmit(checked.data);
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      setJsonProblems({ message: `Not JSON: ${errorMessage(err)}` });
      refuseLocally();
      return;
    }
    const parsed = body.safeParse(json, PLAIN_ERRORS);
    if (!parsed.success) {
      setJsonProblems({ paths: issuesToMap(plainIssues(parsed.error.issues)) });
      refuseLocally();
      return;
    }
    setJsonProblems(undefined);
    onSubmit(parsed.data);
  };

  const toggle = () => {
    setSwitchProblem(undefined);
    if (mode === 'form') {
      const { manifest, problems } = manifestFromDraft(draft);
      if (Object.keys(problems).length) {
        setShowAll(true);
        setSwitchProblem(`Fix what is marked before editing as JSON: ${Object.values(problems).join('; ')}`);
        setFocusTick((n) => n + 1);
        return;
      }
      // Nothing typed yet: an empty box to paste a manifest into.
      setText(isEmpty(draft) ? '' : JSON.stringify(manifest, null, 2));
      setJsonProblems(undefined);
      setMode('json');
      return;
    }
    if (!text.trim()) {
      setDraft(emptyDraft());
      setMode('form');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      setSwitchProblem(`Not JSON: ${errorMessage(err)}. Fix it to go back to the form.`);
      return;
    }
    const read = draftFromManifest(json);
    if (read.unshown.length) {
      setSwitchProblem(`The form has no input for ${read.unshown.join(', ')}: not the kind of value the manifest takes there. Fix it here first.`);
      return;
    }
    setDraft(read.draft);
    setIgnored(read.ignored);
    setMode('form');
  };

  return { mode, draft, setDraft, text, setText, switchProblem, ignored, jsonProblems, showAll, fieldErrors, clientErrors: checked.errors, refusal, focusTick, submit, toggle };
}
