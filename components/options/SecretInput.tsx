import { useState, type ComponentPropsWithRef } from 'react';

type Props = Omit<ComponentPropsWithRef<'input'>, 'type'> & {
  /** What the field holds, for the toggle's name ("Show API token"). */
  what: string;
};

/**
 * A credential typed out of sight of whoever looks at the admin's screen, with Show to check it
 * before it is sent (a token pasted with a stray space fails the app's first call, not here).
 */
export function SecretInput({ what, ...input }: Props) {
  const [shown, setShown] = useState(false);
  const action = shown ? 'Hide' : 'Show';
  return (
    <span className="secret-input">
      <input {...input} type={shown ? 'text' : 'password'} autoComplete="off" autoCapitalize="off" spellCheck={false} />
      <button type="button" aria-label={`${action} ${what}`} aria-controls={input.id} onClick={() => setShown((s) => !s)}>{action}</button>
    </span>
  );
}
