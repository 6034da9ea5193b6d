import { $ } from './dom.js';

/**
 * Narrow windows show the contact panel as a drawer (inbox.css); Escape closes it and gives the
 * focus back to the toggle. Wider, the panel is a column, always shown: aria-expanded says so
 * there too (inbox.css's breakpoint).
 */
export function wireContactDrawer(): void {
  const contactToggle = $<HTMLButtonElement>('[data-testid="contact-toggle"]');
  const drawerWidth = matchMedia('(max-width: 1000px)');
  const drawerOpen = () => $('[data-testid="inbox"]').classList.contains('contact-open');
  function setContactOpen(open: boolean) {
    $('[data-testid="inbox"]').classList.toggle('contact-open', open);
    contactToggle.setAttribute('aria-expanded', String(open || !drawerWidth.matches));
  }
  setContactOpen(false);
  drawerWidth.addEventListener('change', () => setContactOpen(drawerOpen()));
  contactToggle.addEventListener('click', () => setContactOpen(!drawerOpen()));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && drawerWidth.matches && drawerOpen()) { setContactOpen(false); contactToggle.focus(); }
  });
}
