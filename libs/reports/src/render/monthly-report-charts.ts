import { mm, oneLine } from '@charity/documents';
import type { BreakdownRow, TrendPoint } from '../monthly-report.types';
import {
  BOTTOM,
  CAPTION_HEIGHT,
  CONTENT_TOP,
  DONATION_COLOUR,
  fitSize,
  GRID,
  MARGIN_X,
  MUTED,
  type PageFlow,
  RIGHT,
  RULE,
  TABLE_GAP,
  VISITS_COLOUR,
} from './monthly-report-page';
import { formatCount, parseMonth } from './report-format';

// The monthly report's two charts, drawn with pdfkit's own paths: visits per township as bars,
// and the 12 months of 捐赠款物 and 人次 as lines.

/** 0, step, … max: five equal steps of 1, 2, 2.5 or 5 × 10ⁿ, whole numbers when `integer`. */
function niceScale(max: number, integer: boolean): { step: number; max: number; decimals: number } {
  const intervals = 5;
  const raw = max > 0 ? max / intervals : 1;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  // 2.5 would make steps of 3 once rounded up to whole numbers
  const factors = integer && magnitude < 10 ? [1, 2, 5, 10] : [1, 2, 2.5, 5, 10];
  const factor = factors.find((f) => f * magnitude >= raw * (1 - 1e-9)) ?? 10;
  let step = factor * magnitude;
  if (integer) step = Math.max(1, Math.round(step));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (factor === 2.5 ? 1 : 0));
  return { step, max: step * intervals, decimals: integer ? 0 : decimals };
}

function chartTitle(flow: PageFlow, title: string): void {
  flow.doc.fontSize(10).fillColor('#000000');
  flow.doc.text(title, MARGIN_X, flow.y + mm(1), { lineBreak: false });
  flow.y += CAPTION_HEIGHT;
}

/** (一) 各乡镇救助人次: one horizontal bar per township, over as many pages as it takes. */
export function townshipBarChart(flow: PageFlow, townships: BreakdownRow[]): void {
  const { doc } = flow;
  const caption = '（一）各乡镇救助人次';
  if (townships.length === 0) {
    flow.ensure(CAPTION_HEIGHT + mm(10));
    chartTitle(flow, caption);
    doc
      .fontSize(9)
      .fillColor(MUTED)
      .text('无乡镇数据', MARGIN_X, flow.y + mm(2));
    doc.fillColor('#000000');
    flow.y += mm(12);
    return;
  }
  const scale = niceScale(Math.max(0, ...townships.map((t) => t.visits)), true);
  const names = townships.map((t) => oneLine(t.name));
  doc.fontSize(8);
  const labelWidth = Math.min(mm(38), Math.max(...names.map((n) => doc.widthOfString(n))));
  const plotLeft = MARGIN_X + labelWidth + mm(3);
  const plotRight = RIGHT - mm(14);
  const plotWidth = plotRight - plotLeft;
  const axisHeight = mm(9);
  const pitch = Math.min(mm(7), Math.max(mm(4.5), mm(110) / townships.length));
  const perPage = Math.floor((BOTTOM - CONTENT_TOP - CAPTION_HEIGHT - axisHeight) / pitch);

  for (let first = 0; first < townships.length; first += perPage) {
    const chunk = townships.slice(first, first + perPage);
    const plotHeight = chunk.length * pitch;
    flow.ensure(CAPTION_HEIGHT + plotHeight + axisHeight);
    chartTitle(flow, first === 0 ? caption : `${caption}（续）`);
    const top = flow.y + mm(1);
    const bottom = top + plotHeight;

    for (let tick = 0; tick * scale.step <= scale.max; tick++) {
      const value = tick * scale.step;
      const x = plotLeft + (value / scale.max) * plotWidth;
      doc
        .moveTo(x, top)
        .lineTo(x, bottom)
        .lineWidth(0.4)
        .stroke(tick === 0 ? RULE : GRID);
      doc
        .moveTo(x, bottom)
        .lineTo(x, bottom + mm(1))
        .lineWidth(0.6)
        .stroke(RULE);
      const label = formatCount(value);
      doc.fontSize(7).fillColor(MUTED);
      doc.text(label, x - doc.widthOfString(label) / 2, bottom + mm(1.8), { lineBreak: false });
    }
    doc.moveTo(plotLeft, bottom).lineTo(plotRight, bottom).lineWidth(0.6).stroke(RULE);
    doc
      .fontSize(7)
      .fillColor(MUTED)
      .text('（人次）', plotRight + mm(4), bottom + mm(1.8), {
        lineBreak: false,
      });

    chunk.forEach((township, i) => {
      const centre = top + (i + 0.5) * pitch;
      const barHeight = pitch * 0.62;
      const length = (township.visits / scale.max) * plotWidth;
      if (length > 0) {
        doc.rect(plotLeft, centre - barHeight / 2, length, barHeight).fill(VISITS_COLOUR);
      }
      const name = names[first + i];
      doc.fillColor('#000000').fontSize(fitSize(doc, name, labelWidth, 8, 5));
      const nameHeight = doc.currentLineHeight();
      doc.text(name, plotLeft - mm(2) - doc.widthOfString(name), centre - nameHeight / 2, {
        lineBreak: false,
      });
      const value = formatCount(township.visits);
      doc.fontSize(7.5);
      doc.text(value, plotLeft + length + mm(1.2), centre - doc.currentLineHeight() / 2, {
        lineBreak: false,
      });
    });
    flow.y = bottom + axisHeight;
  }
  flow.y += TABLE_GAP;
}

/** (二) 近12个月趋势: goods and cash given (捐赠款物) in 万元 on the left axis, 人次 on the right. */
export function trendLineChart(flow: PageFlow, trend: TrendPoint[]): void {
  const { doc } = flow;
  const height = mm(92);
  flow.ensure(CAPTION_HEIGHT + height);
  chartTitle(flow, '（二）近12个月捐赠与救助趋势');
  if (trend.length === 0) {
    doc
      .fontSize(9)
      .fillColor(MUTED)
      .text('无趋势数据', MARGIN_X, flow.y + mm(2));
    doc.fillColor('#000000');
    flow.y += mm(12);
    return;
  }

  const legendTop = flow.y + mm(1);
  const plotLeft = MARGIN_X + mm(14);
  const plotRight = RIGHT - mm(14);
  const plotTop = legendTop + mm(10);
  const plotBottom = flow.y + height - mm(14);
  const plotWidth = plotRight - plotLeft;
  const plotHeight = plotBottom - plotTop;

  const donations = trend.map((p) => p.donationValueFen / 1_000_000); // 万元, for drawing only
  const visits = trend.map((p) => p.visits);
  const left = niceScale(Math.max(0, ...donations), false);
  const right = niceScale(Math.max(0, ...visits), true);
  const yOf = (value: number, max: number) => plotBottom - (Math.max(0, value) / max) * plotHeight;
  // Each month gets an equal band and its point sits in the middle, so one month is centred.
  const xOf = (i: number) => plotLeft + ((i + 0.5) * plotWidth) / trend.length;

  doc.fontSize(7);
  for (let tick = 0; tick <= 5; tick++) {
    const y = plotBottom - (tick / 5) * plotHeight;
    doc
      .moveTo(plotLeft, y)
      .lineTo(plotRight, y)
      .lineWidth(0.4)
      .stroke(tick === 0 ? RULE : GRID);
    const leftLabel = (tick * left.step).toFixed(left.decimals);
    const rightLabel = formatCount(tick * right.step);
    const baseline = y - doc.currentLineHeight() / 2;
    doc.fillColor(DONATION_COLOUR);
    doc.text(leftLabel, plotLeft - mm(1.5) - doc.widthOfString(leftLabel), baseline, {
      lineBreak: false,
    });
    doc.fillColor(VISITS_COLOUR).text(rightLabel, plotRight + mm(1.5), baseline, {
      lineBreak: false,
    });
  }
  doc.moveTo(plotLeft, plotTop).lineTo(plotLeft, plotBottom).lineWidth(0.6).stroke(RULE);
  doc.moveTo(plotRight, plotTop).lineTo(plotRight, plotBottom).lineWidth(0.6).stroke(RULE);
  doc
    .fontSize(7)
    .fillColor(DONATION_COLOUR)
    .text('万元', plotLeft - mm(8), plotTop - mm(5), {
      lineBreak: false,
    });
  doc.fillColor(VISITS_COLOUR).text('人次', plotRight + mm(1.5), plotTop - mm(5), {
    lineBreak: false,
  });

  trend.forEach((point, i) => {
    const { year, month } = parseMonth(point.month);
    const x = xOf(i);
    doc
      .moveTo(x, plotBottom)
      .lineTo(x, plotBottom + mm(1))
      .lineWidth(0.6)
      .stroke(RULE);
    doc.fontSize(7.5).fillColor('#000000');
    const label = `${month}月`;
    doc.text(label, x - doc.widthOfString(label) / 2, plotBottom + mm(2), { lineBreak: false });
    if (i === 0 || month === 1) {
      const yearLabel = `${year}年`;
      doc.fontSize(6.5).fillColor(MUTED);
      doc.text(yearLabel, x - doc.widthOfString(yearLabel) / 2, plotBottom + mm(6), {
        lineBreak: false,
      });
    }
  });

  series(
    doc,
    donations.map((value, i) => [xOf(i), yOf(value, left.max)]),
    DONATION_COLOUR,
    'circle',
  );
  series(
    doc,
    visits.map((value, i) => [xOf(i), yOf(value, right.max)]),
    VISITS_COLOUR,
    'square',
  );

  legend(doc, plotLeft, legendTop, [
    ['捐赠款物（万元，左轴）', DONATION_COLOUR, 'circle'],
    ['救助人次（右轴）', VISITS_COLOUR, 'square'],
  ]);
  doc.fillColor('#000000');
  flow.y += height;
}

type Marker = 'circle' | 'square';

function series(doc: PDFKit.PDFDocument, points: [number, number][], colour: string, m: Marker) {
  if (points.length > 1) {
    doc.moveTo(...points[0]);
    for (const point of points.slice(1)) doc.lineTo(...point);
    doc.lineWidth(1.4).lineJoin('round').stroke(colour);
  }
  for (const [x, y] of points) marker(doc, x, y, colour, m);
}

function marker(doc: PDFKit.PDFDocument, x: number, y: number, colour: string, m: Marker): void {
  if (m === 'circle') doc.circle(x, y, 2.2).fill(colour);
  else doc.rect(x - 2, y - 2, 4, 4).fill(colour);
}

function legend(
  doc: PDFKit.PDFDocument,
  left: number,
  top: number,
  entries: [string, string, Marker][],
): void {
  let x = left;
  doc.fontSize(8);
  for (const [label, colour, m] of entries) {
    const y = top + mm(2);
    doc
      .moveTo(x, y)
      .lineTo(x + mm(8), y)
      .lineWidth(1.4)
      .stroke(colour);
    marker(doc, x + mm(4), y, colour, m);
    doc.fillColor('#000000').text(label, x + mm(10), y - doc.currentLineHeight() / 2, {
      lineBreak: false,
    });
    x += mm(14) + doc.widthOfString(label);
  }
}
