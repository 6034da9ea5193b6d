/** A run's id as a link that shows it in the run history (its details opened). */
export function RunLink({ id, onShow }: { id: string; onShow(id: string): void }) {
  return <button type="button" className="link mono" title="Show this run" onClick={() => onShow(id)}>{id}</button>;
}
