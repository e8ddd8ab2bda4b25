import type { ReactNode } from 'react';

interface DataTableProps {
  testId: string;
  /** Column headings, already translated; null leaves a column out. */
  headings: (string | null)[];
  /** Said instead of an empty table. */
  emptyMessage: string;
  isEmpty: boolean;
  /** The table rows. */
  children: ReactNode;
}

/** The console's tables: a scrolling wrapper, headings with column scope, or a plain "nothing here". */
export function DataTable({ testId, headings, emptyMessage, isEmpty, children }: DataTableProps) {
  if (isEmpty) return <p className="muted">{emptyMessage}</p>;
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            {headings.map((heading, index) =>
              heading === null ? null : (
                <th key={index} scope="col">
                  {heading}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
