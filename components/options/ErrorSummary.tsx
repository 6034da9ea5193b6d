import { useLayoutEffect, useRef, useState } from 'react';
import { describePath } from '../../lib/workflow/path-words';
import type { ErrorMap } from './error-paths';
import { fieldLabels, summaryPlace } from './summary-place';

// The words are shared with the server's messages that quote a definition's paths (path-words.ts).
export { describePath };

interface Props {
  title: string; errors: ErrorMap; tone?: 'error' | 'warn';
  /** A form whose paths are not a workflow's (the import's `replace.0`): its own words for them. */
  describe?: (path: string) => string;
}

/** Every problem in one list as well as on its field: nothing the server said gets lost. */
export function ErrorSummary({ title, errors, tone = 'error', describe = describePath }: Props) {
  const entries = Object.entries(errors);
  const box = useRef<HTMLDivElement>(null);
  const [labels, setLabels] = useState<Record<string, string>>({});
  // The fields render beside the summary (a step unfolded, a row added): read their labels after
  // each render, keeping the same object when nothing changed so this settles.
  useLayoutEffect(() => {
    if (describe !== describePath || entries.length === 0) return;
    const found = fieldLabels(box.current?.parentElement, Object.keys(errors));
    setLabels((old) => (JSON.stringify(old) === JSON.stringify(found) ? old : found));
  });
  const place = (path: string) => (describe === describePath ? summaryPlace(path, labels[path]) : describe(path));
  if (entries.length === 0) return null;
  return (
    <div ref={box} className={`summary ${tone}`} role={tone === 'error' ? 'alert' : 'status'} tabIndex={-1}>
      <strong>{title}</strong>
      <ul>
        {entries.map(([path, message]) => <li key={path}><span className="muted">{place(path)}:</span> {message}</li>)}
      </ul>
    </div>
  );
}
