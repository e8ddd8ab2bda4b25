/**
 * CSV of a rendered console table (RFC 4180): the heading row as shown (so in the UI language), then
 * every body row's cell text. Cells marked `data-csv-skip` (action buttons) are left out. A UTF-8 BOM
 * leads the file so that Excel reads Chinese text as UTF-8 rather than the system code page.
 */
export function tableToCsv(table: HTMLTableElement): string {
  const rows = Array.from(table.rows).map((row) =>
    Array.from(row.cells)
      .filter((cell) => !cell.hasAttribute('data-csv-skip'))
      .map((cell) => csvField(cell.innerText.trim())),
  );
  return '\uFEFF' + rows.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
}

function csvField(text: string): string {
  // A leading = + - @ would be read as a formula by spreadsheets (CSV injection): quote it with a tab-free prefix.
  const safe = /^[=+\-@]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Hands `csv` to the browser as a download named `fileName`. */
export function downloadCsv(fileName: string, csv: string): void {
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** CSV of rows built in code (a paged list's whole filtered list), in the same form as `tableToCsv`. */
export function rowsToCsv(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  return '\uFEFF' + [headings, ...rows].map((cells) => cells.map(csvField).join(',')).join('\r\n') + '\r\n';
}
