import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { ShortcutFormProps } from '../forms/ShortcutForm';
import type { MountedForm } from '../forms/mount';
import type { FormLoader } from './types';

/** Where the lazily loaded form renderer draws (in its own root, see components/forms/mount). */
export function FormHost({ loader, props }: { loader: FormLoader; props: ShortcutFormProps }) {
  const ref = useRef<HTMLDivElement>(null);
  const mounted = useRef<MountedForm | null>(null);
  const latest = useRef(props);
  latest.current = props;
  const [failure, setFailure] = useState<string | null>(null);

  useLayoutEffect(() => {
    let cancelled = false;
    const mount = (mod: NonNullable<ReturnType<FormLoader['current']>>) => {
      if (cancelled || !ref.current) return;
      mounted.current = mod.mountShortcutForm(ref.current, latest.current, { sync: loader.separateReact });
    };
    const ready = loader.current();
    if (ready) mount(ready);
    else loader.load().then(mount, (e: unknown) => !cancelled && setFailure(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
      mounted.current?.unmount();
      mounted.current = null;
    };
  }, [loader]);

  useEffect(() => {
    mounted.current?.update(props);
  }, [props]);

  if (failure) return <p role="alert" className="ic-form-error">The form could not be loaded: {failure}</p>;
  return <div ref={ref} className="ic-form-host" />;
}
