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

/** Which rows of a sheet are its header: frozen on screen, and repeated atop every printed page. */
export interface SheetHeader {
  frozenRows: number;
  repeatedRows: number;
}

/**
 * How every workbook the product exports prints: A4 landscape, scaled to one page wide and as
 * many pages long as it takes, the header rows repeated on each page and the page number at the
 * foot. Excel ignores fitToWidth unless fitToPage is on, which is why the monthly report used to
 * spill its last columns onto pages of their own.
 *
 * Hand the result to `addWorksheet`: the streaming writer writes the views and the fit-to-page
 * flag out with the first committed row, so setting them on the sheet afterwards can be too late.
 */
export function printedSheet({
  frozenRows,
  repeatedRows,
}: SheetHeader): Partial<ExcelJS.AddWorksheetOptions> {
  return {
    views: [{ state: 'frozen', xSplit: 0, ySplit: frozenRows }],
    pageSetup: {
      paperSize: A4,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      // 0: no limit on the number of pages down
      fitToHeight: 0,
      horizontalCentered: true,
      margins: MARGINS,
      printTitlesRow: `1:${repeatedRows}`,
    },
    headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
  };
}
