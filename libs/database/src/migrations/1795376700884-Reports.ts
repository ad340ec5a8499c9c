import { rebuildReportTotals } from '@charity/reports';
import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class Reports1795376700884 implements MigrationInterface {
  name = 'Reports1795376700884';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE \`stock_month_totals\` (
                \`business_month\` char(7) NOT NULL,
                \`store_id\` int UNSIGNED NOT NULL,
                \`kind\` enum ('received', 'given', 'expired', 'other') NOT NULL,
                \`value_fen\` bigint NOT NULL,
                PRIMARY KEY (\`business_month\`, \`store_id\`, \`kind\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`points_month_totals\` (
                \`business_month\` char(7) NOT NULL,
                \`store_id\` int UNSIGNED NOT NULL,
                \`kind\` enum ('issued', 'redeemed', 'expired', 'adjusted') NOT NULL,
                \`points\` bigint NOT NULL,
                PRIMARY KEY (\`business_month\`, \`store_id\`, \`kind\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`report_months\` (
                \`month\` char(7) NOT NULL,
                \`status\` enum ('open', 'closed') NOT NULL DEFAULT 'open',
                \`closed_at\` datetime(3) NULL,
                \`closed_by\` int UNSIGNED NULL,
                \`reopened_at\` datetime(3) NULL,
                \`reopened_by\` int UNSIGNED NULL,
                \`reopen_reason\` varchar(200) NULL,
                PRIMARY KEY (\`month\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`report_exports\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`kind\` enum ('monthly', 'donor_impact') NOT NULL,
                \`month\` char(7) NOT NULL,
                \`region_id\` int UNSIGNED NULL,
                \`store_id\` int UNSIGNED NULL,
                \`format\` enum ('pdf', 'xlsx') NOT NULL,
                \`status\` enum ('queued', 'running', 'done', 'failed') NOT NULL,
                \`progress\` tinyint UNSIGNED NOT NULL DEFAULT '0',
                \`file_name\` varchar(120) NULL,
                \`bytes\` int UNSIGNED NULL,
                \`error\` varchar(300) NULL,
                \`attempts\` tinyint UNSIGNED NOT NULL DEFAULT '0',
                \`archived\` tinyint NOT NULL DEFAULT 0,
                \`requested_by\` int UNSIGNED NULL,
                \`created_at\` datetime(3) NOT NULL,
                \`finished_at\` datetime(3) NULL,
                INDEX \`IDX_0f3d1c0464900ccb3b5f14b8a7\` (\`requested_by\`, \`id\`),
                INDEX \`IDX_55fe53dfab1d3621a9129b0544\` (\`archived\`, \`month\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`report_snapshots\` (
                \`month\` char(7) NOT NULL,
                \`scope\` varchar(30) NOT NULL,
                \`body\` mediumtext NOT NULL,
                \`created_at\` datetime(3) NOT NULL,
                PRIMARY KEY (\`month\`, \`scope\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            ALTER TABLE \`redemptions\`
            ADD \`household_category\` enum ('wubao', 'dibao', 'tekun', 'other') NOT NULL
        `);
    // redemptions taken before this column counted by the household's category now
    await queryRunner.query(`
            UPDATE \`redemptions\` r JOIN \`households\` h ON h.\`id\` = r.\`household_id\`
               SET r.\`household_category\` = h.\`category\`
        `);
    await queryRunner.query(`
            CREATE INDEX \`IDX_8b5222f904c10b6d87b10ad920\` ON \`donations\` (\`voided_at\`)
        `);
    await queryRunner.query(`
            CREATE INDEX \`idx_donations_report\` ON \`donations\` (
                \`received_date\`,
                \`store_id\`,
                \`voided_at\`,
                \`donor_id\`
            )
        `);
    await queryRunner.query(`
            CREATE INDEX \`IDX_1f5e42880f8a4a6257ce1fe8c1\` ON \`redemptions\` (\`voided_at\`)
        `);
    await queryRunner.query(`
            CREATE INDEX \`idx_redemptions_report\` ON \`redemptions\` (
                \`business_month\`,
                \`store_id\`,
                \`status\`,
                \`voided_at\`,
                \`household_id\`,
                \`household_category\`,
                \`points_total\`,
                \`goods_value_fen\`
            )
        `);
    // an XLSX's content type is 65 characters
    await queryRunner.query(`
            ALTER TABLE \`rendered_documents\` MODIFY \`content_type\` varchar(100) NOT NULL
        `);
    // the monthly totals start from what the ledgers already hold
    await rebuildReportTotals(queryRunner.manager);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE \`rendered_documents\` MODIFY \`content_type\` varchar(60) NOT NULL
        `);
    await queryRunner.query(`
            DROP INDEX \`idx_redemptions_report\` ON \`redemptions\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_1f5e42880f8a4a6257ce1fe8c1\` ON \`redemptions\`
        `);
    await queryRunner.query(`
            DROP INDEX \`idx_donations_report\` ON \`donations\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_8b5222f904c10b6d87b10ad920\` ON \`donations\`
        `);
    await queryRunner.query(`
            ALTER TABLE \`redemptions\` DROP COLUMN \`household_category\`
        `);
    await queryRunner.query(`
            DROP TABLE \`report_snapshots\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_55fe53dfab1d3621a9129b0544\` ON \`report_exports\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_0f3d1c0464900ccb3b5f14b8a7\` ON \`report_exports\`
        `);
    await queryRunner.query(`
            DROP TABLE \`report_exports\`
        `);
    await queryRunner.query(`
            DROP TABLE \`report_months\`
        `);
    await queryRunner.query(`
            DROP TABLE \`points_month_totals\`
        `);
    await queryRunner.query(`
            DROP TABLE \`stock_month_totals\`
        `);
  }
}
