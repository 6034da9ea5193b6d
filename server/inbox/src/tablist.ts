// The list's tabs (Open/Closed, Mine/Unassigned/All) as WAI-ARIA tablists: one Tab stop each, the
// arrow keys, Home and End move between them and select (the APG "automatic activation" pattern:
// selecting is cheap, the list reloads as on a click). https://www.w3.org/WAI/ARIA/apg/patterns/tabs/

const KEYS: Record<string, (at: number, count: number) => number> = {
  ArrowRight: (at, n) => (at + 1) % n,
  ArrowLeft: (at, n) => (at - 1 + n) % n,
  Home: () => 0,
  End: (_at, n) => n - 1,
};

export function wireTablist(tablist: HTMLElement): void {
  tablist.addEventListener('keydown', (event) => {
    const move = KEYS[event.key];
    const tabs = [...tablist.querySelectorAll<HTMLElement>('[role="tab"]')];
    const at = tabs.indexOf(event.target as HTMLElement);
    if (!move || at < 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    const next = tabs[move(at, tabs.length)]!;
    next.focus();
    next.click();
  });
}

/** Only the selected tab is in the Tab order. */
export function markSelected(tab: HTMLElement, selected: boolean): void {
  tab.setAttribute('aria-selected', String(selected));
  tab.tabIndex = selected ? 0 : -1;
}
