import { mm, type TableStyle } from '@charity/documents';

// The A4 page of the monthly report: its measures and colours, and the flow that places what comes
// next on it, shared by the tables (monthly-report.pdf.ts) and the charts (monthly-report-charts.ts).

// A4 portrait, 210 × 297 mm.
export const PAGE_WIDTH = mm(210);
export const MARGIN_X = mm(15);
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
export const RIGHT = MARGIN_X + CONTENT_WIDTH;
export const RUNNING_HEADER_BASELINE = mm(13);
export const CONTENT_TOP = mm(20);
export const BOTTOM = mm(281);
export const PAGE_NUMBER_BASELINE = mm(289);

export const TABLE: TableStyle = { fontSize: 8.5, minRowHeight: mm(6.2), headerFill: '#eeeeee' };
export const EMPHASIS_FILL = '#f5f5f5';
export const ACCENT = '#b3261e';
export const MUTED = '#555555';
export const RULE = '#333333';
export const GRID = '#d9d9d9';
export const DONATION_COLOUR = '#c0392b';
export const VISITS_COLOUR = '#1f5fa8';

export const SECTION_HEIGHT = mm(10);
export const CAPTION_HEIGHT = mm(6.5);
export const TABLE_GAP = mm(4);

/** Where the next thing goes, and a fresh page with the running header when it will not fit. */
export class PageFlow {
  y = CONTENT_TOP;
  /** A section heading not drawn yet: it goes down with the start of what follows it. */
  private heading: string | null = null;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    private readonly title: string,
    private readonly unionName: string,
  ) {}

  newPage(): void {
    this.doc.addPage();
    const options = { lineBreak: false, baseline: 'alphabetic' } as const;
    this.doc.fontSize(8).fillColor(MUTED);
    this.doc.text(this.title, MARGIN_X, RUNNING_HEADER_BASELINE, options);
    const union = this.unionName;
    this.doc.text(union, RIGHT - this.doc.widthOfString(union), RUNNING_HEADER_BASELINE, options);
    this.doc
      .moveTo(MARGIN_X, RUNNING_HEADER_BASELINE + mm(2))
      .lineTo(RIGHT, RUNNING_HEADER_BASELINE + mm(2))
      .lineWidth(0.5)
      .stroke(RULE);
    this.doc.fillColor('#000000');
    this.y = CONTENT_TOP;
  }

  /** Holds `title` back until the next thing under it is placed, so they share a page. */
  headWith(title: string): void {
    this.heading = title;
  }

  /**
   * Starts a new page unless `height` still fits below, together with a heading waiting to be
   * drawn; a fresh page is never left blank.
   */
  ensure(height: number): void {
    const heading = this.heading === null ? 0 : SECTION_HEIGHT;
    if (this.y + heading + height > BOTTOM && this.y > CONTENT_TOP) this.newPage();
    if (this.heading !== null) {
      const { doc } = this;
      doc.rect(MARGIN_X, this.y + mm(1.5), mm(1.2), mm(5)).fill(ACCENT);
      doc.fillColor('#000000').fontSize(13);
      doc.text(this.heading, MARGIN_X + mm(3), this.y + mm(1.4), { lineBreak: false });
      this.y += SECTION_HEIGHT;
      this.heading = null;
    }
  }
}

/** The largest size from `max` down to `min` at which `text` fits `width` on one line. */
export function fitSize(
  doc: PDFKit.PDFDocument,
  text: string,
  width: number,
  max: number,
  min: number,
): number {
  const atOne = doc.fontSize(1).widthOfString(text);
  if (atOne === 0) return max;
  return Math.max(min, Math.min(max, Math.floor((width / atOne) * 2) / 2));
}
