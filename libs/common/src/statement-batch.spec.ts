import { InsertedId, StatementBatch } from './statement-batch';

describe('StatementBatch.idOf', () => {
  it('stands for the id of the row a single-row INSERT writes', () => {
    const batch = new StatementBatch();
    const redemption = batch.add('INSERT INTO redemptions (receipt_no) VALUES (?)', ['R-1']);
    const line = batch.insertRows('points_entries', ['kind'], [['redemption']]);
    expect(batch.idOf(redemption)).toEqual(new InsertedId(redemption));
    expect(batch.idOf(line)).toEqual(new InsertedId(line));
  });

  it('refuses a multi-row INSERT, whose rows after the first have ids nobody can work out', () => {
    const batch = new StatementBatch();
    const lines = batch.insertRows('redemption_lines', ['line_no'], [[1], [2]]);
    expect(() => batch.idOf(lines)).toThrow('write 0 inserts 2 rows: only a single row');
  });
});
