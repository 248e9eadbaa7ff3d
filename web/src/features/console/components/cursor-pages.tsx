import { useState, type ReactNode } from 'react';
import { TableScroll } from './table-scroll';

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

/**
 * One page of a cursor-paged list as a table: its heading, the rows (or `empty` when there are
 * none), and the page buttons. `loading`: the next page is on its way, this one is still shown.
 */
export function PagedTable({
  id,
  heading,
  label,
  testId,
  columns,
  empty,
  pages,
  nextCursor,
  loading,
  children,
}: {
  id: string;
  heading: ReactNode;
  /** Names the table and its scrolling region. */
  label: string;
  testId: string;
  columns: readonly string[];
  empty: ReactNode;
  pages: ReturnType<typeof useCursorPages>;
  nextCursor: string | undefined;
  loading: boolean;
  /** The rows; none renders `empty`. */
  children: ReactNode[];
}) {
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{heading}</h2>
      {children.length === 0 ? (
        <p className="card">{empty}</p>
      ) : (
        <TableScroll className="card" label={label}>
          <table data-testid={testId} aria-busy={loading || undefined}>
            <caption className="visually-hidden">{label}</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{children}</tbody>
          </table>
        </TableScroll>
      )}
      <PageButtons pages={pages} nextCursor={nextCursor} loading={loading} />
    </section>
  );
}
