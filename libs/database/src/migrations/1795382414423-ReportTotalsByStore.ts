import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class ReportTotalsByStore1795382414423 implements MigrationInterface {
  name = 'ReportTotalsByStore1795382414423';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX \`idx_stock_month_totals_store\` ON \`stock_month_totals\` (
                \`store_id\`,
                \`business_month\`,
                \`kind\`,
                \`value_fen\`
            )
        `);
    await queryRunner.query(`
            CREATE INDEX \`idx_points_month_totals_store\` ON \`points_month_totals\` (\`store_id\`, \`business_month\`, \`kind\`, \`points\`)
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX \`idx_points_month_totals_store\` ON \`points_month_totals\`
        `);
    await queryRunner.query(`
            DROP INDEX \`idx_stock_month_totals_store\` ON \`stock_month_totals\`
        `);
  }
}
