import type { ReactNode } from 'react';

/**
 * A table that may scroll sideways on a narrow screen: a named region that takes the focus, so
 * keyboard users can scroll it too.
 */
export function TableScroll({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <div className={['table-scroll', className].filter(Boolean).join(' ')} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
