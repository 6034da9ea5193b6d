import { useId, type ReactNode } from 'react';

/** One part of the builder, a region named by its heading (two builders may be open: ids are made). */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  const id = useId();
  return (
    <section className="builder-section" aria-labelledby={id}>
      <h4 id={id}>{title}</h4>
      {children}
    </section>
  );
}
