/** The line in bench/RESULTS.md after which everything is kept by a new run. */
export const NOTES_MARK = '<!-- npm run bench rewrites the figures above this line and keeps everything below it. -->';

/**
 * bench/RESULTS.md after a full run: the new figures, then the notes by hand (how figures moved,
 * A/B runs, what was tried) that followed NOTES_MARK in the file before. Without the mark the
 * whole file was figures, and the new ones replace it.
 */
export function withKeptNotes(figures: string, previous: string): string {
  const at = previous.indexOf(NOTES_MARK);
  return at < 0 ? figures : `${figures.replace(/\n*$/, '\n')}\n${previous.slice(at)}`;
}
