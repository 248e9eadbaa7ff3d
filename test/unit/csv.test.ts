/** The console's CSV downloads: RFC 4180, and no cell a spreadsheet would run as a formula. */
import { describe, expect, it } from 'vitest';
import { toCsv } from '../../web/src/lib/csv';

describe('a CSV download', () => {
  it('quotes fields with commas, quotes or line breaks, and ends lines with CRLF', () => {
    expect(toCsv(['name', 'amount'], [['Smith, Jo', 12.5], ['Say "hi"', 0], ['two\nlines', 3]])).toBe(
      'name,amount\r\n"Smith, Jo",12.5\r\n"Say ""hi""",0\r\n"two\nlines",3\r\n',
    );
  });

  it('keeps a text a spreadsheet would run as a formula as text, and negative amounts as numbers', () => {
    const csv = toCsv([], [['=HYPERLINK("http://evil.example","x")', '+1 555', '-cmd', '@SUM(A1)', '\tTab', '-12.50', -3, 'Plain']]);
    expect(csv).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")",'+1 555,'-cmd,'@SUM(A1),'\tTab,-12.50,-3,Plain\r\n`);
  });
});
