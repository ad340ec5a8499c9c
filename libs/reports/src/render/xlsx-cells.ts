import type ExcelJS from 'exceljs';

// What the monthly report's sheets share: number formats, the header style, the cell values.

/** Money cells hold yuan numbers, fen / 100 worked out once from whole fen, shown to the fen. */
export const YUAN_FORMAT = '#,##0.00';
export const COUNT_FORMAT = '#,##0';
export const DATE_FORMAT = 'yyyy-mm-dd';

export const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true };
const HEADER_FILL: ExcelJS.Fill = {
  type: 'pattern',
  pattern: 'solid',
  fgColor: { argb: 'FFEEEEEE' },
};

export type Cell = string | number | Date | null;

export function headerRow(row: ExcelJS.Row): void {
  row.font = HEADER_FONT;
  row.eachCell((cell) => {
    cell.fill = HEADER_FILL;
  });
}
