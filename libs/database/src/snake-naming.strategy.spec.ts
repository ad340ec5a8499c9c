import { SnakeNamingStrategy } from './snake-naming.strategy';

describe('SnakeNamingStrategy', () => {
  const naming = new SnakeNamingStrategy();

  it.each([
    ['storeId', 'store_id'],
    ['monthlyLimitPerHousehold', 'monthly_limit_per_household'],
    ['unitValueFen', 'unit_value_fen'],
    ['idNumberHMAC', 'id_number_hmac'],
  ])('names column %s as %s', (property, column) => {
    expect(naming.columnName(property, undefined, [])).toBe(column);
  });

  it('keeps explicit names and snake-cases class names', () => {
    expect(naming.columnName('x', 'explicit_name', [])).toBe('explicit_name');
    expect(naming.tableName('StockLot', undefined)).toBe('stock_lot');
    expect(naming.tableName('StockLot', 'stock_lots')).toBe('stock_lots');
  });
});
