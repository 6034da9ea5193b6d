import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { AwaitingAnswer } from '../../lib/contracts/conversations';
import type { ShortcutSummary } from '../../lib/contracts/shortcuts';
import type { PageUser } from '../../lib/extension/adapters/types';
import { awaitingWho, questionsWaitingText } from '../../lib/workflow/waiting-on';
import type { ServerErrorDetail } from '../forms/server-errors';
import { RunToast, type ToastSubject } from '../toast/RunToast';
import { AwaitingNotice } from './AwaitingNotice';
import { disabledReason } from './disabled-reason';
import { FormDrafts } from './drafts';
import { focusIsFree } from './focus-is-free';
import { FormView } from './FormView';
import { notSentText } from './not-sent';
import { seatMismatch } from './seat';
import { ShortcutMenu } from './ShortcutMenu';
import { LAUNCHER_CLICK_MARK, SHORTCUT_PICKED_MARK, type FormLoader, type LauncherApi } from './types';
import { asSentence, unavailableText, type Refusal } from './unavailable';
import { useLauncherData } from './use-launcher-data';
import { useModalOpen } from './use-modal-open';
import { usePanelPlacement } from './use-panel-placement';
import { useToastPlacement } from './use-toast-placement';

interface Props {
  api: LauncherApi;
  forms: FormLoader;
  conversationId: string | null;
  /** How the inbox numbers that conversation (Chatwoot's "#101"): a run's toast names it once the agent has moved on. */
  conversationLabel?: string | null;
  /** Gives focus back to the inbox's composer when the menu closes. */
  returnFocus(): void;
  /** The workflows' questions waiting on this customer, the one asked last first (an inbox that does not say so itself: Chatwoot). */
  awaiting?: readonly AwaitingAnswer[];
  /** Stops that run's workflow so the agent answers (see AwaitingNotice). */
  takeOver?: ((runId: string) => Promise<void>) | null;
  /** Who the page says is signed in to the inbox, read afresh each time (see seat.ts). */
  signedInHere?: () => PageUser | null;
  /** What to do when that is not the connected user (the Dashboard App's own words; else reconnect the extension). */
  seatRemedy?: string;
  /** Half-filled forms, kept for the page's life (the content script's; else this launcher's own). */
  drafts?: FormDrafts;
}

const OFFLINE_CHECK_MS = 3000;

type FormState = {
  kind: 'form'; shortcut: ShortcutSummary; submitting: boolean; serverErrors?: ServerErrorDetail[]; refusal?: Refusal;
  /** Whether the form takes the focus when it appears (not when it comes back while the agent is elsewhere). */
  focus?: boolean;
};

type View =
  | { kind: 'closed' }
  /**
   * The launcher cannot be used: the panel says why (a disabled control that explains itself).
   * `resume`: the form this replaced, shown again as it was once the reason is gone.
   */
  | { kind: 'reason'; resume?: FormState }
  | { kind: 'menu' }
  | FormState;

/** Where the focus goes when the panel closes. */
type FocusTo = 'composer' | 'button' | 'stay';

const NONE_WAITING: readonly AwaitingAnswer[] = [];

export function Launcher({
  api, forms, conversationId, conversationLabel = null, returnFocus, awaiting = NONE_WAITING, takeOver = null, signedInHere, seatRemedy, drafts: pageDrafts,
}: Props) {
  const data = useLauncherData(api);
  const whyNot = () => disabledReason(data, conversationId, signedInHere?.() ?? null, seatRemedy);
  const reason = whyNot();
  const [ownDrafts] = useState(() => new FormDrafts());
  const drafts = pageDrafts ?? ownDrafts;
  const [view, setView] = useState<View>({ kind: 'closed' });
  const viewRef = useRef(view);
  viewRef.current = view;
  const [toast, setToast] = useState<(ToastSubject & { key: number; offline?: boolean }) | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const reasonId = useId();
  const awaitingSaid = awaiting.length ? questionsWaitingText(awaiting) : null;
  const panelRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const shortcuts = data.list?.shortcuts ?? [];
  const offline = data.connection?.state === 'unreachable' || data.list?.stale === true;
  const online = data.connection?.state === 'connected' && data.list?.stale === false;

  // Escape gives the focus back to the Shortcuts button (the APG menu button and dialog
  // patterns); a launch gives it to the composer, where the agent writes next.
  const close = useCallback((focus: FocusTo) => {
    setView({ kind: 'closed' });
    if (focus === 'composer') returnFocus();
    if (focus === 'button') buttonRef.current?.focus();
  }, [returnFocus]);

  // Read out by the live region; the same words a second time are said again.
  const say = useCallback((words: string) => {
    setAnnouncement('');
    setTimeout(() => setAnnouncement(words), 50);
  }, []);
  // Said in the panel too.
  const explain = useCallback((why: string, resume?: FormState) => {
    setView({ kind: 'reason', resume: resume && { ...resume, submitting: false } });
    say(why);
  }, [say]);
  // Its button is gone with the notice: the agent's next act is to write to the customer.
  const tookOver = useCallback((stopped: Parameters<typeof awaitingWho>[0]) => {
    close('composer');
    say(`${awaitingWho(stopped)} stopped: the customer’s next message comes to you.`);
  }, [close, say]);

  const latestWhyNot = useRef(whyNot);
  latestWhyNot.current = whyNot;
  const open = useCallback(() => {
    // Read again: who is signed in to the page may have changed since the last render.
    const why = latestWhyNot.current();
    if (why) return explain(why);
    performance.mark(LAUNCHER_CLICK_MARK);
    setView({ kind: 'menu' });
    void forms.load().catch(() => undefined); // warm the form renderer while the agent picks
    data.refresh();
  }, [explain, forms, data.refresh]);

  // Keyboard command (pushed by the background) and restrictions arriving while open.
  useEffect(() => api.onPush((push) => {
    if (push.type === 'open-launcher') open();
  }), [api, open]);
  const formView = view.kind === 'form' ? view : null;
  const unavailable = formView && unavailableText(formView.shortcut, data.list, formView.refusal);
  useEffect(() => {
    // A form whose shortcut went away says so itself, even when that leaves no shortcut at all.
    if (reason && view.kind === 'menu') explain(reason);
    if (reason && view.kind === 'form' && !unavailable) explain(reason, view);
    // The form a supervisor's switch (or the extension's identity) took away comes back as it was.
    if (!reason && view.kind === 'reason') setView(view.resume ? { ...view.resume, focus: focusIsFree(panelRef.current) } : { kind: 'closed' });
  }, [reason, view, unavailable, explain]);

  // A launch that could not reach the server: its toast goes once the server answers again.
  const sawOffline = useRef(false);
  useEffect(() => {
    if (!toast?.offline) { sawOffline.current = false; return; }
    if (!online) sawOffline.current = true;
    else if (sawOffline.current) setToast(null);
  }, [toast, online]);
  // While it shows, ask every few seconds (the live stream's reconnect backs off further).
  const { refresh } = data;
  useEffect(() => {
    if (!toast?.offline) return;
    const timer = setInterval(() => refresh(true), OFFLINE_CHECK_MS);
    return () => clearInterval(timer);
  }, [toast, refresh]);
  const panelStyle = usePanelPlacement(view.kind !== 'closed', buttonRef, panelRef);
  const toastStyle = useToastPlacement(toast !== null, buttonRef, panelRef, view.kind !== 'closed', panelStyle);
  // A modal dialog (the inbox's Close conversation) puts the page behind its backdrop, but the
  // dark toast there still read as in front of it: it hides until the dialog is closed.
  const modalOpen = useModalOpen(toast !== null);

  // A click anywhere else closes the menu (composedPath sees through the shadow root).
  useEffect(() => {
    if (view.kind === 'closed') return;
    const onDown = (e: PointerEvent) => {
      const path = e.composedPath();
      if (!path.includes(panelRef.current!) && !path.includes(buttonRef.current!)) close('stay');
    };
    document.addEventListener('pointerdown', onDown, true);
    return () => document.removeEventListener('pointerdown', onDown, true);
  }, [view.kind, close]);

  const launch = async (shortcut: ShortcutSummary, values: Record<string, unknown>) => {
    if (!conversationId) return;
    // Checked at the last moment too: the inbox may have been signed in as someone else since the menu opened.
    const seat = seatMismatch(data.connection && 'me' in data.connection ? data.connection.me : null, signedInHere?.(), seatRemedy);
    if (seat) {
      const v = viewRef.current;
      return explain(seat, v.kind === 'form' && v.shortcut.id === shortcut.id ? v : undefined);
    }
    setView((v) => (v.kind === 'form' ? { ...v, submitting: true, serverErrors: undefined } : v));
    const outcome = await api
      .launchShortcut({ shortcutId: shortcut.id, conversationId, values })
      .catch((e: unknown) => ({ ok: false as const, kind: 'unreachable' as const, message: e instanceof Error ? e.message : String(e) }));
    const key = Date.now();
    const where = { conversationId, conversationLabel, key };
    if (outcome.ok) {
      drafts.delete(conversationId, shortcut.id);
      setToast({ kind: 'run', runId: outcome.runId, shortcutName: shortcut.name, contactName: outcome.contactName, ...where });
      close('composer');
      return;
    }
    if (outcome.kind === 'invalid' && shortcut.form.fields.length > 0) {
      setView({ kind: 'form', shortcut, submitting: false, serverErrors: outcome.details ?? [{ path: '', message: outcome.message }] });
      return;
    }
    // An open form says it in place (and stays readable); a shortcut picked from the menu gets the toast.
    if (outcome.kind === 'unavailable') {
      const refusal = { text: asSentence(outcome.message), version: data.list?.version ?? null };
      const v = viewRef.current;
      if (v.kind === 'form' && v.shortcut.id === shortcut.id) return setView({ ...v, submitting: false, refusal });
    }
    setToast({ kind: 'not-sent', shortcutName: shortcut.name, ...notSentText(outcome), ...where, offline: outcome.kind === 'unreachable' });
    // Learn that the server is down (the toast goes when it is back), without waiting for the stream.
    if (outcome.kind === 'unreachable') data.refresh(true);
    // Keep a filled form open, so the agent can try again without retyping.
    setView((v) => (v.kind === 'form' ? { ...v, submitting: false } : { kind: 'closed' }));
  };

  const pick = (shortcut: ShortcutSummary) => {
    if (shortcut.form.fields.length === 0) {
      void launch(shortcut, {});
      return;
    }
    performance.mark(SHORTCUT_PICKED_MARK);
    setView({ kind: 'form', shortcut, submitting: false });
  };

  const formProps = useMemo(() => formView && {
    form: formView.shortcut.form,
    defaultCountry: data.list?.defaultCountry ?? null,
    submitting: formView.submitting,
    serverErrors: formView.serverErrors,
    autoFocus: formView.focus !== false,
    initialValues: conversationId ? drafts.get(conversationId, formView.shortcut.id) : undefined,
    onValuesChange: (values: Record<string, unknown>) => {
      if (conversationId) drafts.set(conversationId, formView.shortcut.id, values);
    },
    onCancel: () => setView({ kind: 'menu' }),
    onSubmit: (values: Record<string, unknown>) => launch(formView.shortcut, values),
  }, [formView?.shortcut, formView?.submitting, formView?.serverErrors, formView?.focus, conversationId, drafts, data.list?.defaultCountry]);

  // Escape keeps what was typed, as Gmail and Chatwoot keep a reply draft: picking the same
  // shortcut here again brings it back (the menu marks it). Asking first would stand between
  // the agent and the customer they were about to answer.
  const escape = () => {
    const v = viewRef.current;
    if (v.kind === 'form' && conversationId && drafts.has(conversationId, v.shortcut.id)) say(`Draft of “${v.shortcut.name}” kept: pick it again to go on.`);
    close('button');
  };

  return (
    <div className="ic-launcher">
      <button
        ref={buttonRef}
        type="button"
        className="ic-button"
        aria-label="Shortcuts"
        aria-haspopup="dialog"
        aria-expanded={view.kind !== 'closed'}
        aria-describedby={reason ? reasonId : undefined}
        // Not `disabled`: a disabled button leaves the Tab order and cannot say why (WAI-ARIA APG).
        aria-disabled={reason ? 'true' : undefined}
        title={reason ?? 'Shortcuts (Alt+Shift+K)'}
        // The extension's command (wxt.config.ts), said to screen readers as the title shows it to the mouse.
        aria-keyshortcuts="Alt+Shift+K"
        onClick={() => (view.kind === 'closed' ? open() : close(view.kind !== 'reason' ? 'composer' : 'stay'))}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && view.kind !== 'closed') {
            e.stopPropagation();
            escape();
          }
        }}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path d="M13 2 4 14h7l-1 8 9-12h-7z" fill="currentColor" /></svg>
      </button>
      {reason && <span id={reasonId} className="ic-sr-only">{reason}</span>}
      {awaitingSaid && (
        <span className="ic-awaiting" data-testid="launcher-awaiting" role="status" title={awaitingSaid}>
          <span aria-hidden="true">{awaiting.length > 1 ? `⏳ Awaiting ${awaiting.length} answers` : '⏳ Awaiting answer'}</span>
          <span className="ic-sr-only">{awaitingSaid}</span>
        </span>
      )}
      <span className="ic-sr-only" aria-live="polite" data-testid="launcher-announcement">{announcement}</span>
      {view.kind !== 'closed' && (
        <div
          ref={panelRef}
          className="ic-panel"
          style={panelStyle}
          role="dialog"
          aria-label={formView ? formView.shortcut.name : view.kind === 'reason' ? 'Shortcuts unavailable' : 'Shortcuts'}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              escape();
            }
          }}
        >
          {view.kind === 'reason' && reason && <p className="ic-reason" data-testid="launcher-reason">{reason}</p>}
          {view.kind === 'menu' && awaiting.length > 0 && (
            <AwaitingNotice awaiting={awaiting} takeOver={takeOver} onTakenOver={tookOver} className="ic-awaiting-note" testId="launcher-awaiting-note" />
          )}
          {view.kind === 'menu' && (
            <ShortcutMenu shortcuts={shortcuts} offline={offline} onPick={pick} onClose={escape}
              hasDraft={(id) => conversationId !== null && drafts.has(conversationId, id)} />
          )}
          {formView && formProps && (
            <FormView shortcut={formView.shortcut} loader={forms} formProps={formProps} unavailable={unavailable} onBack={() => setView({ kind: 'menu' })} />
          )}
        </div>
      )}
      {toast && (
        <RunToast key={toast.key} subject={toast} source={api} currentConversationId={conversationId} onDismiss={() => setToast(null)}
          // Hidden, not removed: it keeps following the run and shows again when the dialog closes.
          style={modalOpen ? { ...toastStyle, visibility: 'hidden' } : toastStyle} />
      )}
    </div>
  );
}
