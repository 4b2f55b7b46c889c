import { parseCsvLine } from '../../src/cli/import/parse-csv-line';

describe('parseCsvLine', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,,c,', ['a', '', 'c', '']],
    ['', ['']],
    ['"a,b",c', ['a,b', 'c']],
    ['"say ""hi""",x', ['say "hi"', 'x']],
    ['"",""', ['', '']],
    [' a , b ', [' a ', ' b ']],
  ])('%j has the cells %j', (line, cells) => {
    expect(parseCsvLine(line)).toEqual({ cells });
  });

  it.each([
    ['"a,b', 'a quoted cell is not closed on its line'],
    ['"a"b,c', 'unexpected text after a quoted cell at column 4'],
    ['a"b,c', 'a quote inside an unquoted cell at column 1'],
    ['x,a"b', 'a quote inside an unquoted cell at column 3'],
  ])('%j is refused: %s', (line, error) => {
    expect(parseCsvLine(line)).toEqual({ error });
  });
});
