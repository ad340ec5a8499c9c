import type ExcelJS from 'exceljs';

/** The OOXML paper size code of A4. */
const A4 = 9;

/** Page margins in inches: narrow enough for a wide register, wide enough for any printer. */
const MARGINS: ExcelJS.Margins = {
  left: 0.4,
  right: 0.4,
  top: 0.6,
  bottom: 0.6,
  header: 0.3,
  footer: 0.3,
};

/** How a sheet prints: which rows head it, and at what scale. */
export interface SheetLayout {
  /** Rows frozen on screen above the scrolling part. */
  frozenRows: number;
  /** Rows repeated atop every printed page. */
  repeatedRows: number;
  /**
   * 'fitToWidth': scaled to one page wide, as many pages down as the rows take. A percentage:
   * printed at that scale, for a sheet known to fit the width that places its own page breaks
   * (Excel and LibreOffice ignore manual page breaks when fitting to pages).
   */
  scale: 'fitToWidth' | number;
}

/**
 * How every workbook the product exports prints: A4 landscape, scaled to one page wide (or at
 * a set scale), the header rows repeated on each page and the page number at the foot. Excel
 * ignores fitToWidth unless fitToPage is on, which is why the monthly report used to spill its
 * last columns onto pages of their own.
 *
 * Hand the result to `addWorksheet`: the streaming writer writes the views and the fit-to-page
 * flag out with the first committed row, so setting them on the sheet afterwards can be too late.
 */
export function printedSheet({
  frozenRows,
  repeatedRows,
  scale,
}: SheetLayout): Partial<ExcelJS.AddWorksheetOptions> {
  return {
    views: [{ state: 'frozen', xSplit: 0, ySplit: frozenRows }],
    pageSetup: {
      paperSize: A4,
      orientation: 'landscape',
      ...(scale === 'fitToWidth'
        ? // fitToHeight 0: no limit on the number of pages down
          { fitToPage: true, fitToWidth: 1, fitToHeight: 0 }
        : { fitToPage: false, scale }),
      horizontalCentered: true,
      margins: MARGINS,
      printTitlesRow: `1:${repeatedRows}`,
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
  };
}
