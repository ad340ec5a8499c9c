import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class Redemptions1795370754591 implements MigrationInterface {
  name = 'Redemptions1795370754591';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE \`redemption_line_lots\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`redemption_id\` int UNSIGNED NOT NULL,
                \`line_no\` smallint UNSIGNED NOT NULL,
                \`lot_id\` int UNSIGNED NOT NULL,
                \`quantity\` int UNSIGNED NOT NULL,
                \`unit_value_fen\` int UNSIGNED NOT NULL,
                INDEX \`IDX_ce35e1fd92ddbab8faeb957d01\` (\`lot_id\`),
                INDEX \`IDX_49d9de327740e382fe0c74ae65\` (\`redemption_id\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`redemption_lines\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`redemption_id\` int UNSIGNED NOT NULL,
                \`line_no\` smallint UNSIGNED NOT NULL,
                \`product_id\` int UNSIGNED NOT NULL,
                \`category_id\` int UNSIGNED NOT NULL,
                \`product_name\` varchar(80) NOT NULL,
                \`unit\` varchar(10) NOT NULL,
                \`quantity\` int UNSIGNED NOT NULL,
                \`point_price\` int UNSIGNED NOT NULL,
                \`points\` int UNSIGNED NOT NULL,
                \`value_fen\` int UNSIGNED NOT NULL,
                INDEX \`IDX_b52f4a8aff700430d4e1573e07\` (\`product_id\`),
                UNIQUE INDEX \`IDX_de1a6b729ca7139913f2591c60\` (\`redemption_id\`, \`line_no\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`redemptions\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`receipt_no\` varchar(40) NOT NULL,
                \`store_id\` int UNSIGNED NOT NULL,
                \`household_id\` int UNSIGNED NOT NULL,
                \`status\` enum (
                    'completed',
                    'awaiting_delivery',
                    'delivered',
                    'cancelled',
                    'voided'
                ) NOT NULL,
                \`fulfilment\` enum ('pickup', 'delivery') NOT NULL DEFAULT 'pickup',
                \`points_total\` int UNSIGNED NOT NULL,
                \`goods_value_fen\` bigint UNSIGNED NOT NULL,
                \`balance_before\` int UNSIGNED NOT NULL,
                \`balance_after\` int UNSIGNED NOT NULL,
                \`occurred_at\` datetime(3) NOT NULL,
                \`business_date\` date NOT NULL,
                \`business_month\` char(7) NOT NULL,
                \`created_by\` int UNSIGNED NOT NULL,
                \`idempotency_key\` varchar(100) NULL,
                \`request_hash\` char(64) NULL,
                \`limit_override_reason\` varchar(200) NULL,
                \`limit_override_by\` int UNSIGNED NULL,
                \`delivery_address\` varchar(200) NULL,
                \`delivery_note\` varchar(200) NULL,
                \`received_by\` varchar(50) NULL,
                \`delivered_at\` datetime(3) NULL,
                \`delivered_by\` int UNSIGNED NULL,
                \`void_reason\` varchar(200) NULL,
                \`voided_by\` int UNSIGNED NULL,
                \`voided_at\` datetime(3) NULL,
                UNIQUE INDEX \`IDX_4f3349c37adab485aa5a7fa0b7\` (\`receipt_no\`),
                INDEX \`IDX_f7b5628d1cb0953dfb0e4a4c62\` (\`store_id\`, \`fulfilment\`, \`status\`),
                INDEX \`IDX_680a488cbef417823a005c9f1d\` (\`business_month\`, \`status\`),
                INDEX \`IDX_8ac93033172107d805b173cdd9\` (\`store_id\`, \`business_date\`),
                INDEX \`IDX_0981a8067aafb05e8506d1f900\` (\`household_id\`, \`business_month\`),
                UNIQUE INDEX \`IDX_bbec4ee96787926112065c6a73\` (\`store_id\`, \`idempotency_key\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            ALTER TABLE \`product_categories\`
            ADD \`monthly_limit_per_household\` int UNSIGNED NULL
        `);
    await queryRunner.query(`
            ALTER TABLE \`points_policy\`
            ADD \`monthly_visit_limit\` smallint UNSIGNED NULL
        `);
    await queryRunner.query(`
            ALTER TABLE \`points_policy\`
            ADD \`void_window_days\` smallint UNSIGNED NOT NULL DEFAULT '0'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE \`points_policy\` DROP COLUMN \`void_window_days\`
        `);
    await queryRunner.query(`
            ALTER TABLE \`points_policy\` DROP COLUMN \`monthly_visit_limit\`
        `);
    await queryRunner.query(`
            ALTER TABLE \`product_categories\` DROP COLUMN \`monthly_limit_per_household\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_bbec4ee96787926112065c6a73\` ON \`redemptions\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_0981a8067aafb05e8506d1f900\` ON \`redemptions\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_8ac93033172107d805b173cdd9\` ON \`redemptions\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_680a488cbef417823a005c9f1d\` ON \`redemptions\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_f7b5628d1cb0953dfb0e4a4c62\` ON \`redemptions\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_4f3349c37adab485aa5a7fa0b7\` ON \`redemptions\`
        `);
    await queryRunner.query(`
            DROP TABLE \`redemptions\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_de1a6b729ca7139913f2591c60\` ON \`redemption_lines\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_b52f4a8aff700430d4e1573e07\` ON \`redemption_lines\`
        `);
    await queryRunner.query(`
            DROP TABLE \`redemption_lines\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_49d9de327740e382fe0c74ae65\` ON \`redemption_line_lots\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_ce35e1fd92ddbab8faeb957d01\` ON \`redemption_line_lots\`
        `);
    await queryRunner.query(`
            DROP TABLE \`redemption_line_lots\`
        `);
  }
}
