/**
 * A screen's page heading: its one h1 (the name the screen's section is labelled by, through
 * `id`), with an optional eyebrow line above it and a muted line below it; `children` (a deadline,
 * say) follow inside the same block.
 */
import type { ReactNode } from 'react';

export interface PageHeadingProps {
  /** The h1's id: the screen's `<section aria-labelledby>` points at it. */
  id?: string | undefined;
  title: ReactNode;
  /** A short line above the title (the cabinet's name on the home screen). */
  eyebrow?: ReactNode;
  /** A muted line below the title; nothing is drawn when it is empty. */
  subtitle?: ReactNode;
  children?: ReactNode;
}

export function PageHeading({ id, title, eyebrow, subtitle, children }: PageHeadingProps) {
  return (
    <div className="page-head">
      {eyebrow && <p className="eyebrow">{eyebrow}</p>}
      <h1 id={id}>{title}</h1>
      {subtitle && <p className="muted">{subtitle}</p>}
      {children}
    </div>
  );
}
