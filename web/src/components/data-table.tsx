import { useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadCsv, tableToCsv } from './table-csv';

interface DataTableProps {
  testId: string;
  /** Column headings, already translated; null leaves a column out. */
  headings: (string | null)[];
  /** Said instead of an empty table. */
  emptyMessage: string;
  isEmpty: boolean;
  /** The table rows. Cells with `data-csv-skip` (action buttons) stay out of the CSV export. */
  children: ReactNode;
  /** The export's file name without `.csv` (default: the test id). */
  exportName?: string;
  /**
   * For a paged list: the whole filtered list as CSV, fetched when the member exports (the table shows
   * only one page). Without it the export is the table as shown.
   */
  exportAll?: () => Promise<string>;
}

/**
 * The console's tables: a scrolling wrapper, headings with column scope, or a plain "nothing here";
 * every table can be exported as CSV with its headings in the UI language.
 */
export function DataTable({ testId, headings, emptyMessage, isEmpty, children, exportName, exportAll }: DataTableProps) {
  const { t } = useTranslation();
  const table = useRef<HTMLTableElement>(null);
  if (isEmpty) return <p className="muted">{emptyMessage}</p>;
  async function exportCsv() {
    const csv = exportAll ? await exportAll() : table.current ? tableToCsv(table.current) : null;
    if (csv !== null) downloadCsv(`${exportName ?? testId}.csv`, csv);
  }
  return (
    <div className="table-wrap">
      <div className="table-tools">
        <button type="button" className="button button-quiet button-small" data-testid={`${testId}-csv`} onClick={() => void exportCsv()}>
          {t('dataTable.exportCsv')}
        </button>
      </div>
      <table data-testid={testId} ref={table}>
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
