import { SYSTEM_ACTOR } from '@charity/common';
import type { StockService } from '@charity/inventory';
import type { DataSource } from 'typeorm';

const DAY_MS = 86_400_000;

/**
 * Opening stock for the demo stores: most goods with comfortable dates, some lots that expire
 * within weeks (so the alerts have something to say), and undated household goods. Quantities
 * shrink from the county warehouse (QS01) to the village shop (QS04).
 */
export async function loadDemoStock(
  dataSource: DataSource,
  stock: StockService,
  storeIds: Map<string, number>,
  products: Map<string, { id: number; unitValueFen: number }>,
): Promise<number> {
  const today = stock.today();
  const date = (days: number): string =>
    new Date(Date.parse(`${today}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
  const scale: Record<string, number> = { QS01: 4, QS02: 2, QS03: 2, QS04: 1 };
  let lots = 0;
  const entries = [...products.entries()];
  for (const [code, storeId] of storeIds) {
    const factor = scale[code] ?? 1;
    await dataSource.transaction(async (em) => {
      for (const [index, [name, product]] of entries.entries()) {
        // every store gets most products; the village shop a smaller range
        if (code === 'QS04' && index % 3 === 2) continue;
        const perishable = /米|面|油|奶|饼|粉丝|挂面|酱|醋|盐|糖|蛋|茶|豆/.test(name);
        const expiryDate = perishable ? date(index % 7 === 0 ? 18 : 120 + (index % 5) * 30) : null;
        await stock.receive(em, SYSTEM_ACTOR, {
          storeId,
          productId: product.id,
          quantity: (5 + (index % 6) * 3) * factor,
          unitValueFen: product.unitValueFen,
          expiryDate,
          source: 'adjustment',
          kind: 'adjustment',
          ref: { type: 'opening', id: 'demo' },
          note: '期初库存（演示数据）',
        });
        lots += 1;
      }
    });
  }
  return lots;
}
