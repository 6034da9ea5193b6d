/** What an agent typed in a shortcut's form, by variable (the form's own values: text and ticks). */
export type Draft = Record<string, unknown>;

const isBlank = (value: unknown) => value === '' || value === false || value === undefined || value === null;

/**
 * Half-filled shortcut forms, one per (conversation, shortcut), so that a form taken away (a
 * supervisor's switch, Escape, Back, a click elsewhere) comes back as it was when the agent opens
 * the same shortcut in the same conversation again, as Gmail and Chatwoot keep reply drafts.
 * In the content script's memory for the page's life: never stored, never sent (the values are
 * the customer's), gone on reload. A successful launch clears its draft.
 */
export class FormDrafts {
  private readonly drafts = new Map<string, Draft>();

  private static key(conversationId: string, shortcutId: string) {
    return `${conversationId}\n${shortcutId}`;
  }

  get(conversationId: string, shortcutId: string): Draft | undefined {
    return this.drafts.get(FormDrafts.key(conversationId, shortcutId));
  }

  has(conversationId: string, shortcutId: string): boolean {
    return this.drafts.has(FormDrafts.key(conversationId, shortcutId));
  }

  /** A form with nothing typed in it (every field back to empty) has no draft. */
  set(conversationId: string, shortcutId: string, values: Draft) {
    const key = FormDrafts.key(conversationId, shortcutId);
    if (Object.values(values).every(isBlank)) this.drafts.delete(key);
    else this.drafts.set(key, { ...values });
  }

  delete(conversationId: string, shortcutId: string) {
    this.drafts.delete(FormDrafts.key(conversationId, shortcutId));
  }
}
