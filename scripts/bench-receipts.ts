// `npm run bench:receipts [-- --count 200]`: renders donation receipts one after another, as the
// worker does, and prints receipts per second, median and p95 milliseconds per receipt, and the
// median size. The data is varied but seeded, so runs compare like with like.
import { performance } from 'node:perf_hooks';
import { type DonationReceiptData, renderDonationReceipt } from '@charity/documents';
import { random } from './seeded-random';

const DEFAULT_COUNT = 200;
const WARM_UP = 10;

const GOODS: [name: string, unit: string, unitValueFen: number][] = [
  ['五常大米 5kg', '袋', 4590],
  ['东北大米 10kg', '袋', 6800],
  ['金龙鱼食用调和油 5L', '桶', 6990],
  ['鲁花花生油 1.8L', '瓶', 3990],
  ['香满园特一粉 5kg', '袋', 2850],
  ['挂面 1kg', '包', 850],
  ['海天酱油 1.9L', '瓶', 2290],
  ['加碘食盐 400g', '袋', 250],
  ['白砂糖 1kg', '袋', 890],
  ['伊利纯牛奶 250ml×24', '箱', 6500],
  ['鸡蛋 30枚', '盒', 2680],
  ['康师傅方便面 5连包', '提', 1390],
  ['立白洗衣粉 2.25kg', '袋', 2990],
  ['舒肤佳香皂 3块装', '组', 1290],
  ['清风抽纸 10包', '提', 2590],
  ['加厚羽绒被（200×230cm）', '床', 12800],
  ['纯棉四件套', '套', 15900],
  ['儿童羽绒服（130码）', '件', 16800],
  ['劳保棉手套', '双', 350],
  ['学生书包', '个', 8900],
  ['电饭煲 4L', '台', 19900],
  ['保温水壶 2L', '个', 4500],
  ['老年人棉鞋（42码）', '双', 6900],
  ['冬季毛毯 150×200cm', '条', 8800],
];
const DONORS: [name: string, kind: string][] = [
  ['张*明', '个人'],
  ['李*', '个人'],
  ['欧阳*华', '个人'],
  ['王*芳', '工会会员'],
  ['青山县宏达建材有限公司', '企业'],
  ['青山县农村商业银行股份有限公司', '企业'],
  ['国网青山县供电公司', '帮扶单位'],
  ['青山县第一中学教职工', '组织'],
];
const STORES = ['青山县城关镇爱心超市', '青山县东坪镇爱心超市', '青山县工业园区职工服务站爱心超市'];
const CLERKS = ['李梅', '赵建国', '陈晓燕', '刘洋'];
const NOTES = ['春节慰问专项捐赠', '金秋助学活动', '“夏送清凉”活动物资'];

function parseCount(args: string[]): number {
  const at = args.findIndex((arg) => arg === '--count' || arg.startsWith('--count='));
  if (at < 0) return DEFAULT_COUNT;
  const value = args[at].includes('=') ? args[at].split('=')[1] : args[at + 1];
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`--count must be a whole number ≥ 1, got ${value}`);
  }
  return count;
}

function receipts(count: number): DonationReceiptData[] {
  const next = random(20260315);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)];
  return Array.from({ length: count }, (_, i) => {
    const goods = shuffle(GOODS, next).slice(0, 2 + Math.floor(next() * 11));
    const lines = goods.map(([name, unit, unitValueFen]) => {
      const quantity = 1 + Math.floor(next() * 40);
      return { name, quantity, unit, unitValueFen, amountFen: quantity * unitValueFen };
    });
    const cashFen = next() < 0.4 ? 100 * (50 + Math.floor(next() * 1950)) : 0;
    const [donorName, donorKindLabel] = pick(DONORS);
    const store = Math.floor(next() * STORES.length);
    const receiptNo = `JZ-QS0${store + 1}-2026-${String(i + 1).padStart(6, '0')}`;
    const month = String(1 + Math.floor(next() * 12)).padStart(2, '0');
    const day = String(1 + Math.floor(next() * 28)).padStart(2, '0');
    return {
      unionName: '青山县总工会',
      receiptNo,
      receivedDate: `2026-${month}-${day}`,
      donorName,
      donorKindLabel,
      storeName: STORES[store],
      clerkName: pick(CLERKS),
      lines,
      cashFen,
      totalValueFen: lines.reduce((sum, line) => sum + line.amountFen, 0) + cashFen,
      verifyUrl: `https://aixin.qingshan.gov.cn/public/receipts/${receiptNo}?code=${Math.floor(
        next() * 2 ** 48,
      ).toString(16)}`,
      note: next() < 0.3 ? pick(NOTES) : null,
    };
  });
}

function shuffle<T>(items: T[], next: () => number): T[] {
  const shuffled = [...items];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return shuffled;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const count = parseCount(process.argv.slice(2));
  const data = receipts(WARM_UP + count);

  // The first render decodes the font (≈10 MB) and compiles the code paths; not what the worker
  // pays per job.
  const warmUpStart = performance.now();
  for (const receipt of data.slice(0, WARM_UP)) await renderDonationReceipt(receipt);
  const warmUpMs = performance.now() - warmUpStart;

  const times: number[] = [];
  const sizes: number[] = [];
  let multiPage = 0;
  const start = performance.now();
  for (const receipt of data.slice(WARM_UP)) {
    const before = performance.now();
    const pdf = await renderDonationReceipt(receipt);
    times.push(performance.now() - before);
    sizes.push(pdf.length);
    if (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length !== 1) multiPage++;
  }
  const elapsedS = (performance.now() - start) / 1000;

  times.sort((a, b) => a - b);
  sizes.sort((a, b) => a - b);
  const lines = data.slice(WARM_UP).map((receipt) => receipt.lines.length);
  console.log(
    `bench:receipts  ${count} A5 donation receipts (${Math.min(...lines)}–${Math.max(...lines)} ` +
      `lines, ${multiPage} over one page), after ${WARM_UP} warm-up renders (${warmUpMs.toFixed(0)} ms)`,
  );
  console.log(`  throughput   ${(count / elapsedS).toFixed(1)} receipts/s`);
  console.log(
    `  per receipt  median ${percentile(times, 50).toFixed(1)} ms, ` +
      `p95 ${percentile(times, 95).toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`,
  );
  console.log(
    `  size         median ${percentile(sizes, 50)} bytes per receipt, ` +
      `max ${sizes[sizes.length - 1]} bytes`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
