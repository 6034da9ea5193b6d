import { useState } from 'react';
import { downloadFile } from './download';

/**
 * Text longer than this shows its start, with Show all and Download (as n8n does for a node's
 * large output): one 900 KB step output rendered whole made the run history 5,114,012 px wide.
 */
export const SHOWN_CHARS = 10_000;

const count = (n: number) => n.toLocaleString('en-US');

/**
 * A run's value, error or note as text that wraps (the stylesheet's `.long-text`) and, past
 * SHOWN_CHARS, is cut with a way to see or save all of it.
 */
export function LongText({ text, as: Tag = 'pre', className = '', filename }: {
  text: string; as?: 'pre' | 'p'; className?: string; filename: string;
}) {
  const [all, setAll] = useState(false);
  const long = text.length > SHOWN_CHARS;
  const shown = long && !all ? `${text.slice(0, SHOWN_CHARS)}…` : text;
  return (
    <>
      <Tag className={`long-text ${className}`.trim()}>{shown}</Tag>
      {long && (
        <p className="hint long-text-actions" role="status">
          {all ? `All ${count(text.length)} characters shown. ` : `The first ${count(SHOWN_CHARS)} of ${count(text.length)} characters. `}
          <button type="button" className="small" onClick={() => setAll(!all)}>{all ? 'Show less' : 'Show all'}</button>{' '}
          <button type="button" className="small" onClick={() => downloadFile(filename, text, 'text/plain')}>Download</button>
        </p>
      )}
    </>
  );
}
