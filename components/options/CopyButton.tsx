import { useState } from 'react';

/** Copies `text` and says so ("Copied") until `text` changes; a refused clipboard leaves it as it was. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState<string>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(text);
    } catch {
      setCopied(undefined);
    }
  };
  return <button type="button" className="small" onClick={() => void copy()}>{copied === text ? 'Copied' : label}</button>;
}
