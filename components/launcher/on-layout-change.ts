/** Calls `place` whenever the page may have moved the launcher (resized, any scroll); returns the undo. */
export function onLayoutChange(place: () => void): () => void {
  window.addEventListener('resize', place);
  window.addEventListener('scroll', place, true);
  return () => {
    window.removeEventListener('resize', place);
    window.removeEventListener('scroll', place, true);
  };
}
