import { useId, useState } from 'react';
import { hasTag } from '../../lib/workflow/tags';
import { GroupError } from './Field';

interface Props {
  tags: readonly string[];
  onChange(tags: string[]): void;
  label: string;
  path: string;
}

/**
 * A list of tags as removable chips plus an input. What is typed becomes a tag on Enter, comma,
 * "Add tag" and when the input loses focus (clicking Save or Publish), as respond.io's and n8n's
 * tag fields do: a tag left typed but not "added" was dropped and Save said "Choose at least one tag".
 */
export function TagInput({ tags, onChange, label, path }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const add = (typed: string[] = [text]) => {
    const added: string[] = [];
    for (const tag of typed.map((t) => t.trim())) {
      // "VIP" beside "vip" would be the same tag twice (tags are compared in any case).
      if (tag && !hasTag([...tags, ...added], tag)) added.push(tag);
    }
    if (added.length) onChange([...tags, ...added]);
    setText('');
  };
  // A comma ends a tag (typed or pasted "vip, gold"); what follows it stays in the box.
  const type = (value: string) => {
    const parts = value.split(',');
    const rest = parts.pop()!;
    if (parts.length) add(parts);
    setText(rest);
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
          placeholder="Type a tag, then Enter or a comma"
          onChange={(e) => type(e.target.value)}
          onBlur={() => add()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" onClick={() => add()} disabled={!text.trim()}>Add tag</button>
      </div>
      <GroupError path={path} />
    </div>
  );
}
