import { useEffect, useRef, type ReactNode } from 'react';

/**
 * A page's heading and document title. After a navigation, focus moves to the heading so screen
 * readers announce the new page and keyboard users start from its top.
 */
export function Page({ title, children, lead }: { title: string; children: ReactNode; lead?: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} — Carpark Tenancy`;
    if (document.activeElement && document.activeElement !== document.body) return;
    heading.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <>
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {lead && <p className="lead">{lead}</p>}
      {children}
    </>
  );
}
