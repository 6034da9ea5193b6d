import { useEffect, useRef, useState } from 'react';
import { TRIGGER_TYPES } from '../../lib/contracts/triggers';
import { TRIGGER_LABELS } from './trigger-defaults';
import { isFiltered, NO_FILTERS, type WorkflowFilters } from './workflow-pages';

/** Typing pauses this long before the list is asked again: one request for a word, not one a key. */
export const SEARCH_PAUSE_MS = 300;

interface Props {
  filters: WorkflowFilters;
  onChange(filters: WorkflowFilters): void;
}

/**
 * The Workflows list's search by name and filters by status and trigger, as respond.io's and
 * n8n's workflow lists have: what is typed is sent once typing pauses, a choice at once.
 */
export function WorkflowListFilters({ filters, onChange }: Props) {
  const [text, setText] = useState(filters.q);
  const search = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (text === filters.q) return;
    const timer = setTimeout(() => onChange({ ...filters, q: text }), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text, filters, onChange]);
  return (
    <div className="list-filters" role="search" aria-label="Workflows">
      <label>Search by name
        {/* Escape empties the box at once, as a search field does. */}
        <input ref={search} type="search" dir="auto" value={text} maxLength={100} onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Escape' && text) { e.preventDefault(); setText(''); onChange({ ...filters, q: '' }); } }} />
      </label>
      <label>Status
        <select value={filters.status} onChange={(e) => onChange({ ...filters, q: text, status: e.target.value as WorkflowFilters['status'] })}>
          <option value="">Any status</option>
          <option value="published">Published</option>
          <option value="draft">Draft</option>
        </select>
      </label>
      <label>Trigger
        <select value={filters.trigger} onChange={(e) => onChange({ ...filters, q: text, trigger: e.target.value as WorkflowFilters['trigger'] })}>
          <option value="">Any trigger</option>
          {TRIGGER_TYPES.map((t) => <option key={t} value={t}>{TRIGGER_LABELS[t]}</option>)}
        </select>
      </label>
      {(isFiltered(filters) || text.trim() !== '') && (
        // The button goes with the filters it clears: the keyboard goes on from the search, as n8n's does.
        <button type="button" className="small" onClick={() => { setText(''); onChange(NO_FILTERS); search.current?.focus(); }}>Clear filters</button>
      )}
    </div>
  );
}
