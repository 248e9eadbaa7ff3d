import { useState } from 'react';

/**
 * A list the API pages with opaque cursors: the cursors walked so far, so "Previous page" can go
 * back (the API only gives the next one). Remount (a `key`) to start again from page 1.
 */
export function useCursorPages() {
  // cursors[i] is the cursor of page i+2 (the first page has none).
  const [cursors, setCursors] = useState<string[]>([]);
  return {
    cursor: cursors.at(-1),
    pageNumber: cursors.length + 1,
    previous: cursors.length > 0 ? () => setCursors(cursors.slice(0, -1)) : undefined,
    next: (cursor: string) => setCursors([...cursors, cursor]),
  };
}

export function PageButtons({
  pages,
  nextCursor,
  loading,
}: {
  pages: ReturnType<typeof useCursorPages>;
  nextCursor: string | undefined;
  /** The next page is on its way (the previous one is still shown). */
  loading: boolean;
}) {
  return (
    <p className="actions">
      {pages.previous && (
        <button type="button" className="secondary" onClick={pages.previous}>
          Previous page
        </button>
      )}
      {nextCursor && (
        <button type="button" onClick={() => pages.next(nextCursor)} disabled={loading}>
          Next page
        </button>
      )}
    </p>
  );
}
