import { byName, nameCollator, nameWith, sharedNames } from '../../../lib/workflow/name-order';
import { Api } from './api.js';
import { $, h } from './dom.js';
import type { ConversationDetail, Me, Teammate } from './wire.js';

export interface AssignOptions {
  me: () => Me | null;
  userName: (id: string | null) => string;
  /** The team as GET /teammates gave it. */
  teammates: () => Iterable<Teammate>;
  showError: (err: unknown, about?: string | null) => void;
  afterChange: (id: string) => void;
}

/**
 * Who has the conversation, and changing it. "Assign to me" asks before taking a conversation
 * someone else has (it took it without a word); supervisors and admins also get Chatwoot's
 * assignee menu: anyone active of the team's people (bots are assigned by workflows).
 */
export function createAssignControl({ me, userName, teammates, showError, afterChange }: AssignOptions) {
  const collator = nameCollator(navigator.languages);
  const button = $<HTMLButtonElement>('[data-testid="assign-button"]');
  const picker = h('select', { 'data-testid': 'assign-picker', 'aria-label': 'Assign to', hidden: true });
  const question = h('span', { 'data-testid': 'assign-confirm-text' });
  const yes = h('button', { type: 'button', class: 'primary', 'data-testid': 'assign-confirm', text: 'Take it' });
  const no = h('button', { type: 'button', class: 'ghost', 'data-testid': 'assign-cancel', text: 'Cancel' });
  const confirm = h('span', { class: 'assign-confirm', role: 'group', 'data-testid': 'assign-confirm-box', hidden: true }, question, ' ', yes, no);
  button.before(picker);
  button.after(confirm);
  let current: ConversationDetail | null = null;

  /**
   * Who has a conversation, as the head and the take-it question name them: with their email when
   * another active teammate has that name too, as the menu tells them apart (only supervisors and
   * admins get emails, so the others see the name alone). Yourself: "You".
   */
  function holderName(id: string): string {
    const name = userName(id);
    if (id === me()?.user.id) return name;
    const team = [...teammates()].filter((u) => u.active || u.id === id);
    const email = team.find((u) => u.id === id)?.email;
    return email && sharedNames(team, collator).has(id) ? nameWith(name, [email]) : name;
  }

  const asking = (on: boolean) => {
    confirm.hidden = !on;
    button.hidden = on || current?.status !== 'open';
    if (on) yes.focus();
  };

  // While a change is on its way: aria-disabled, not disabled, and clicks ignored. Disabling the
  // focused button (or menu) dropped a keyboard user's focus to the page's body at each "Assign to me".
  let pending = false;
  const setPending = (on: boolean) => {
    pending = on;
    for (const el of [button, picker]) el.setAttribute('aria-disabled', String(on));
  };

  async function assign(userId: string | null) {
    if (!current || pending) return;
    const id = current.id;
    setPending(true);
    try {
      await Api.assign(id, userId);
      afterChange(id);
    } catch (err) {
      showError(err, id);
      if (current?.id === id) render(current);
    } finally {
      setPending(false);
    }
  }

  button.addEventListener('click', () => {
    if (pending) return;
    const mine = me()?.user.id;
    const holder = current?.assigneeId;
    if (!mine) return;
    if (holder && holder !== mine) {
      question.textContent = `Assigned to ${holderName(holder)} — take it?`;
      return asking(true);
    }
    void assign(holder ? null : mine);
  });
  // The question goes away with the focused "Take it": the focus goes back to the button ("Unassign" then).
  yes.addEventListener('click', () => { asking(false); button.focus(); void assign(me()?.user.id ?? null); });
  no.addEventListener('click', () => { asking(false); button.focus(); });
  confirm.addEventListener('keydown', (event) => { if (event.key === 'Escape') no.click(); });
  picker.addEventListener('change', () => {
    if (pending) { picker.value = current?.assigneeId ?? ''; return; }
    void assign(picker.value || null);
  });

  function render(c: ConversationDetail) {
    // Another conversation, or someone else took this one meanwhile: the question no longer holds.
    if (current?.id !== c.id || current.assigneeId !== c.assigneeId) asking(false);
    current = c;
    const open = c.status === 'open';
    const self = me();
    button.hidden = !open || !confirm.hidden;
    button.textContent = c.assigneeId && c.assigneeId === self?.user.id ? 'Unassign' : 'Assign to me';
    picker.hidden = !open || !self?.permissions.superviseAgents;
    if (picker.hidden) return;
    const people = [...teammates()].filter((u) => u.active && u.kind !== 'bot').sort(byName(collator));
    // Two of one name are told apart by their email, as Chatwoot's agent lists do.
    const shared = sharedNames(people, collator);
    const options = [h('option', { value: '', text: 'Unassigned' })];
    for (const u of people) options.push(h('option', { value: u.id, text: nameWith(u.name, [shared.has(u.id) && u.email, u.id === self?.user.id && 'you']) }));
    // Assigned to someone not offered (a bot): shown as it is.
    if (c.assigneeId && !people.some((u) => u.id === c.assigneeId)) options.push(h('option', { value: c.assigneeId, text: userName(c.assigneeId), disabled: true }));
    picker.replaceChildren(...options);
    picker.value = c.assigneeId ?? '';
  }

  /** Another conversation is loading: nothing to act on until it shows (render), not the last one. */
  function reset() {
    current = null;
    asking(false);
    picker.hidden = true;
  }

  return { render, reset, holderName };
}
