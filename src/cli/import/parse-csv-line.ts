/**
 * The cells of one CSV line (RFC 4180 quoting: a quoted cell may hold commas and `""` for
 * a quote), or a message saying what is wrong with it. A quoted cell cannot span lines:
 * each line of the file is one record, so a rejected record names its line exactly.
 */
export function parseCsvLine(line: string): { cells: string[] } | { error: string } {
  const cells: string[] = [];
  let at = 0;
  for (;;) {
    if (line[at] === '"') {
      let cell = '';
      at += 1;
      for (;;) {
        const quote = line.indexOf('"', at);
        if (quote === -1) return { error: 'a quoted cell is not closed on its line' };
        cell += line.slice(at, quote);
        if (line[quote + 1] === '"') {
          cell += '"';
          at = quote + 2;
        } else {
          at = quote + 1;
          break;
        }
      }
      cells.push(cell);
      if (at === line.length) return { cells };
      if (line[at] !== ',')
        return { error: `unexpected text after a quoted cell at column ${at + 1}` };
      at += 1;
    } else {
      const comma = line.indexOf(',', at);
      const end = comma === -1 ? line.length : comma;
      const cell = line.slice(at, end);
      if (cell.includes('"'))
        return { error: `a quote inside an unquoted cell at column ${at + 1}` };
      cells.push(cell);
      if (comma === -1) return { cells };
      at = comma + 1;
    }
  }
}
