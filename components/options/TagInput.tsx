import { useId, useState } from 'react';
import { hasTag } from '../../lib/workflow/tags';
import { GroupError } from './Field';

interface Props {
  tags: readonly string[];
  onChange(tags: string[]): void;
  label: string;
  path: string;
}

/** A list of tags as removable chips plus an input that adds one on Enter or "Add". */
export function TagInput({ tags, onChange, label, path }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const add = () => {
    const tag = text.trim();
    // "VIP" beside "vip" would be the same tag twice (tags are compared in any case).
    if (tag && !hasTag(tags, tag)) onChange([...tags, tag]);
    setText('');
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <ul className="chips" aria-label={`${label} chosen`}>
        {tags.map((tag) => (
          <li key={tag} className="chip">
            <bdi>{tag}</bdi>
            <button type="button" aria-label={`Remove tag ${tag}`} onClick={() => onChange(tags.filter((t) => t !== tag))}>✕</button>
          </li>
        ))}
      </ul>
      <div className="row">
        <input
          id={id}
          // auto: a tag in Arabic or Hebrew reads right to left (as Field's controls).
          dir="auto"
          value={text}
          placeholder="Type a tag and press Enter"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" onClick={add} disabled={!text.trim()}>Add tag</button>
      </div>
      <GroupError path={path} />
    </div>
  );
}
