// the documents library's read-back helpers, kept out of its index (as test/support/pdf.ts does)
import { HAS_POPPLER, pageCount, pdfText } from '../../../documents/src/pdf-read-back';
import type { MonthlyReport } from '../monthly-report.types';
import {
  emptyReport,
  HEADLINE,
  monthlyReport,
  periodFigures,
  stores,
  TOWNSHIP_NAMES,
  townships,
  trend,
} from './fixtures';
import { renderMonthlyReportPdf } from './monthly-report.pdf';

const withPdftotext = HAS_POPPLER ? it : it.skip;
const UNION = { unionName: '青山县总工会' };

/** The pages' texts, first page first. */
function pages(pdf: Buffer): string[] {
  return Array.from({ length: pageCount(pdf) }, (_, i) => pdfText(pdf, { page: i + 1 }));
}

function pageWith(pdf: Buffer, marker: string): string {
  const page = pages(pdf).find((text) => text.includes(marker));
  if (page === undefined) throw new Error(`no page contains ${marker}`);
  return page;
}

describe('renderMonthlyReportPdf', () => {
  let pdf: Buffer;

  beforeAll(async () => {
    pdf = await renderMonthlyReportPdf(monthlyReport(), UNION);
  });

  it('is an A4 document of a cover and a few pages of figures', () => {
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 595\.2\d* 841\.8\d*\]/);
    expect(pageCount(pdf)).toBeGreaterThanOrEqual(4);
    expect(pageCount(pdf)).toBeLessThanOrEqual(6);
  });

  withPdftotext('puts the title, the headline verbatim and the data source on the cover', () => {
    const cover = pdfText(pdf, { page: 1 });
    expect(cover).toContain('青山县总工会');
    expect(cover).toContain('青山县爱心超市2026年3月工作月报');
    expect(cover).toContain('（2026年3月1日至3月31日）');
    // one line, one run: found whole both in reading layout and in raw order
    expect(cover).toContain(HEADLINE);
    expect(pdfText(pdf, { page: 1, layout: false })).toContain(HEADLINE);
    expect(cover).toMatch(/35,234\.56\s*\n\s*开展服务超市（个） +捐赠笔数（笔） +捐赠款物（元）/);
    expect(cover).toContain('数据来源：本月已结账，数据为结账快照（结账时间：2026年4月2日 09:30）');
    expect(cover).toContain('生成时间：2026年4月2日 09:31');
  });

  withPdftotext('compares the month with the year to date and the same month last year', () => {
    const summary = pageWith(pdf, '一、主要指标');
    const rows = [
      /开展服务超市数 +12 +12 +9 *\n/,
      /捐赠笔数 +48 +131 +48 *\n/,
      /物资价值\(元\) +30,234\.56 +85,123\.45 +30,234\.56 *\n/,
      /现金\(元\) +5,000\.00 +15,000\.00 +5,000\.00 *\n/,
      /合计\(元\) +35,234\.56 +100,123\.45 +21,000\.00 *\n/,
      /救助户数 +215 +215 +215 *\n/,
      /救助人次 +386 +1,102 +301 *\n/,
      /发放物资价值\(元\) +28,950\.50 +28,950\.50 +28,950\.50 *\n/,
      /积分调整 +-300 +-300 +-300 *\n/,
      /积分结余 +143,600 +143,600 +143,600 *\n/,
      /库存价值\(元\) +123,456\.78 +123,456\.78 +123,456\.78 *\n/,
      /过期报损\(元\) +45\.60 +45\.60 +45\.60 *\n/,
    ];
    for (const row of rows) expect(summary).toMatch(row);
    expect(summary).not.toContain('以前月份更正：');
  });

  withPdftotext('breaks donations down by donor kind and category and lists top donors', () => {
    const text = pdfText(pdf);
    expect(text).toMatch(/企业 +20 +9 +24,000\.00 +68\.1%/);
    expect(text).toMatch(/单位\/组织 +3 +2 +5,000\.00 +14\.2%/);
    expect(text).toMatch(/合计 +48 +31 +35,234\.56 +100\.0%/);
    expect(text).toMatch(/粮油 +420 +18,000\.00 +59\.5%/);
    expect(text).toMatch(/1 +青山县宏达建材有限公司 +企业 +4 +12,000\.00/);
    expect(text).toMatch(/3 +县妇联 +单位\/组织 +3 +5,000\.00/);
  });

  withPdftotext('shows aid by household category with the distinct household total', () => {
    const text = pdfText(pdf);
    expect(text).toMatch(/五保 +40 +70 +18\.1% +10,500 +5,250\.00/);
    expect(text).toMatch(/低保 +110 +200 +51\.8% +30,000 +15,000\.50/);
    expect(text).toMatch(/特困 +35 +66 +17\.1% +9,900 +4,950\.00/);
    expect(text).toMatch(/合计 +215 +386 +100\.0% +57,900 +28,950\.50/);
  });

  withPdftotext('draws the township bars and the 12-month trend with their labels', () => {
    const charts = pageWith(pdf, '四、图表');
    expect(charts).toContain('（一）各乡镇救助人次');
    for (const name of TOWNSHIP_NAMES) expect(charts).toContain(name);
    // value labels beside the bars, and the axis 0–100 in steps of 20
    expect(charts).toMatch(/城关镇 +96 *\n/);
    expect(charts).toMatch(/0 +20 +40 +60 +80 +100 +（人次）/);
    expect(charts).toContain('捐赠款物（万元，左轴）');
    expect(charts).toContain('救助人次（右轴）');
    expect(charts).toMatch(/4月 +5月 +6月 +7月 +8月 +9月 +10月 +11月 +12月 +1月 +2月 +3月/);
    expect(charts).toMatch(/2025年 +2026年/);
  });

  withPdftotext('lists every township and store with a totals row', () => {
    const text = pdfText(pdf);
    expect(text).toMatch(/1 +城关镇 +2 +8 +5,872\.41 +55 +96 +14,400 +7,200\.50 *\n/);
    expect(text).toMatch(/6 +西岭乡 +2 +8 +5,872\.43 +32 +50 +7,500 +3,750\.00 *\n/);
    // townships: 12 stores, 48 donations …; households are the report's distinct 215
    expect(text).toMatch(/合计 +12 +48 +35,234\.56 +215 +386 +57,900 +28,950\.50 *\n/);
    expect(text).toMatch(
      /1 +QS001 +城关镇中心爱心超市 +4 +2,936\.21 +28 +48 +7,200 +3,600\.25 *\n/,
    );
    expect(text).toMatch(/合计 +48 +35,234\.56 +215 +386 +57,900 +28,950\.50 *\n/);
    expect(text).toContain('注：合计户数按户去重');
  });

  withPdftotext('continues a 120-store table over pages under a repeated header', async () => {
    const long = await renderMonthlyReportPdf(
      monthlyReport({ storesBreakdown: stores(120) }),
      UNION,
    );

    const texts = pages(long);
    expect(texts.length).toBeGreaterThanOrEqual(pageCount(pdf) + 2);
    const storePages = texts.filter((text) => text.includes('各超市情况'));
    expect(storePages.length).toBeGreaterThanOrEqual(3);
    for (const text of storePages.slice(1)) {
      expect(text).toContain('各超市情况（续）');
      expect(text).toMatch(/序号 +编码 +超市 +捐赠笔数 +捐赠金额\(元\)/);
    }
    const all = texts.join('\n');
    for (const store of stores(120)) {
      expect(all.split(`${store.name} `)).toHaveLength(2); // printed exactly once
    }
    const last = texts[texts.length - 1];
    expect(last).toMatch(/120 +QS120 +西岭乡第120爱心超市/);
    expect(last).toMatch(/合计 +480 +120,001\.20 +215 +3,840 +576,000 +288,000\.00/);
    expect(last).toMatch(new RegExp(`第 ?${texts.length} ?页 ?/ ?共 ?${texts.length} ?页`));
  });

  withPdftotext('renders a month with no data, one township and no last year', async () => {
    const empty = await renderMonthlyReportPdf(emptyReport(), { unionName: '白水县总工会' });
    const text = pdfText(empty);
    expect(text).toContain(emptyReport().headline);
    expect(text).toContain('数据来源：本月尚未结账，数据为实时统计');
    expect(text).toMatch(/合计\(元\) +0\.00 +0\.00 +— *\n/);
    expect(text).toContain('注：上年同月无数据');
    expect(text).toContain('本月无物资捐赠');
    expect(text).toContain('本月无兑换');
    expect(text).toMatch(/发放物资\(元\)\s*\n\s*无数据/);
    const charts = pageWith(empty, '四、图表');
    // all-zero data still gets a 0–5 axis rather than a division by zero
    expect(charts).toMatch(/城关镇 +0 *\n/);
    expect(charts).toMatch(/0 +1 +2 +3 +4 +5 +（人次）/);
    expect(charts).toMatch(/2月 +3月 .* +1月/);
  });

  withPdftotext('draws a trend of a single month, as in a new deployment', async () => {
    const charts = pageWith(
      await renderMonthlyReportPdf(monthlyReport({ trend: trend().slice(-1) }), UNION),
      '四、图表',
    );
    expect(charts).toMatch(/ 3月 *\n\s*2026年/);
    expect(charts).not.toContain('4月');
  });

  withPdftotext('shows corrections of earlier months only when there are some', async () => {
    const report = monthlyReport();
    report.donations.corrections = { count: -2, totalValueFen: -12_345 };
    report.aid.corrections = { visits: -1, pointsRedeemed: -150, goodsValueFen: -7_500 };
    const summary = pageWith(await renderMonthlyReportPdf(report, UNION), '一、主要指标');
    expect(summary).toMatch(/以前月份更正：捐赠笔数 +-2 +0 +0 *\n/);
    expect(summary).toMatch(/以前月份更正：捐赠金额\(元\) +-123\.45 +0\.00 +0\.00 *\n/);
    expect(summary).toMatch(/以前月份更正：救助人次 +-1 +0 +0 *\n/);
    expect(summary).toMatch(/以前月份更正：发放物资价值\(元\) +-75\.00 +0\.00 +0\.00 *\n/);
  });

  withPdftotext('continues the bar chart when a county has many townships', async () => {
    const many: MonthlyReport['townships'] = Array.from({ length: 70 }, (_, i) => ({
      ...townships()[0],
      regionId: i,
      name: `第${i + 1}乡`,
      visits: i * 3,
    }));
    const text = pdfText(await renderMonthlyReportPdf(monthlyReport({ townships: many }), UNION));
    expect(text).toContain('（一）各乡镇救助人次（续）');
    expect(text).toMatch(/第70乡 +207 *\n/);
  });

  withPdftotext(
    'never leaves a heading at the foot of a page, away from its table',
    async () => {
      // Longer donor lists and more townships push each heading, caption and header row down the
      // page step by step, so every one of them meets the foot of a page in some report.
      const last = (text: string) =>
        text
          .split('\n')
          .map((line) => line.trim())
          .filter((line) => line !== '' && !/^第 ?\d+ ?页 ?\/ ?共 ?\d+ ?页$/.test(line))
          .at(-1) ?? '';
      const heading =
        /^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|本月与本年累计|按困难户类别|各乡镇情况|各超市情况|序号|指标|困难户类别)/;
      const stranded: string[] = [];
      let pagesChecked = 0;
      for (let n = 0; n <= 36; n += 2) {
        const report = monthlyReport({
          townships: Array.from({ length: 1 + n }, (_, i) => ({
            ...townships()[0],
            regionId: i,
            name: `第${i + 1}乡`,
          })),
          storesBreakdown: stores(3 * n + 1),
        });
        report.donations.topDonors = Array.from({ length: n }, (_, i) => ({
          ...report.donations.topDonors[0],
          donorId: i,
          name: `捐赠方${i + 1}`,
        }));
        const texts = pages(await renderMonthlyReportPdf(report, UNION));
        pagesChecked += texts.length;
        texts.forEach((text, i) => {
          const end = last(text);
          if (heading.test(end)) stranded.push(`${n}: page ${i + 1} ends with ${end}`);
        });
      }
      expect(pagesChecked).toBeGreaterThan(100);
      expect(stranded).toEqual([]);
    },
    60_000,
  );

  withPdftotext('keeps a headline too long for one line whole, wrapped', async () => {
    const headline = `${HEADLINE}，${'其中为困难职工家庭送货上门服务共计十二次'.repeat(3)}`;
    const text = pdfText(
      await renderMonthlyReportPdf(monthlyReport({ headline, lastYear: periodFigures() }), UNION),
      { page: 1, layout: false },
    );
    expect(text.replace(/\n/g, '')).toContain(headline);
  });
});
