import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class Inventory1795362602420 implements MigrationInterface {
  name = 'Inventory1795362602420';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE \`product_categories\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`name\` varchar(30) NOT NULL,
                \`sort_order\` smallint UNSIGNED NOT NULL DEFAULT '0',
                \`created_at\` datetime(3) NOT NULL,
                UNIQUE INDEX \`IDX_a75bfadcd8291a0538ab7abfdc\` (\`name\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`products\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`name\` varchar(80) NOT NULL,
                \`category_id\` int UNSIGNED NOT NULL,
                \`unit\` varchar(10) NOT NULL,
                \`barcode\` varchar(48) NULL,
                \`internal_code\` varchar(13) NULL,
                \`point_price\` int UNSIGNED NOT NULL,
                \`unit_value_fen\` int UNSIGNED NOT NULL,
                \`monthly_limit_per_household\` int UNSIGNED NULL,
                \`low_stock_threshold\` int UNSIGNED NOT NULL DEFAULT '0',
                \`active\` tinyint NOT NULL DEFAULT 1,
                \`created_at\` datetime(3) NOT NULL,
                \`updated_at\` datetime(3) NOT NULL,
                UNIQUE INDEX \`IDX_adfc522baf9d9b19cd7d9461b7\` (\`barcode\`),
                UNIQUE INDEX \`IDX_01fc9104524def06b3392d5795\` (\`internal_code\`),
                INDEX \`IDX_4c9fb58de893725258746385e1\` (\`name\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`stock_lots\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`store_id\` int UNSIGNED NOT NULL,
                \`product_id\` int UNSIGNED NOT NULL,
                \`source_type\` enum (
                    'donation',
                    'transfer',
                    'adjustment',
                    'stocktake'
                ) NOT NULL,
                \`source_ref\` varchar(40) NULL,
                \`expiry_date\` date NULL,
                \`unit_value_fen\` int UNSIGNED NOT NULL,
                \`initial_quantity\` int UNSIGNED NOT NULL,
                \`quantity\` int UNSIGNED NOT NULL,
                \`received_at\` datetime(3) NOT NULL,
                INDEX \`IDX_dd69abaa68c9e505680454d9cf\` (\`expiry_date\`),
                INDEX \`IDX_b6534149695869876838720344\` (\`store_id\`, \`product_id\`, \`expiry_date\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`stock_movements\` (
                \`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT,
                \`store_id\` int UNSIGNED NOT NULL,
                \`product_id\` int UNSIGNED NOT NULL,
                \`lot_id\` int UNSIGNED NOT NULL,
                \`kind\` enum (
                    'donation_in',
                    'redemption_out',
                    'transfer_out',
                    'transfer_in',
                    'adjustment',
                    'stocktake',
                    'expiry_writeoff',
                    'void_reversal'
                ) NOT NULL,
                \`quantity\` int NOT NULL,
                \`actor_id\` int UNSIGNED NULL,
                \`ref_type\` varchar(30) NOT NULL,
                \`ref_id\` varchar(40) NOT NULL,
                \`reverses_movement_id\` bigint UNSIGNED NULL,
                \`note\` varchar(200) NULL,
                \`occurred_at\` datetime(3) NOT NULL,
                \`business_date\` date NOT NULL,
                INDEX \`IDX_9df9bfe506b56aad20feb11a3d\` (\`ref_type\`, \`ref_id\`),
                INDEX \`IDX_ae0e902cfdcb5b3ab258a9ff47\` (\`lot_id\`),
                INDEX \`IDX_fb379442fe0265e6d9f1248c57\` (\`store_id\`, \`business_date\`),
                INDEX \`IDX_2dec1a16fa3386015094e2e4a7\` (\`store_id\`, \`product_id\`, \`occurred_at\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`stocktakes\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`store_id\` int UNSIGNED NOT NULL,
                \`status\` enum ('open', 'finalized', 'cancelled') NOT NULL,
                \`note\` varchar(200) NULL,
                \`opened_by\` int UNSIGNED NOT NULL,
                \`opened_at\` datetime(3) NOT NULL,
                \`closed_by\` int UNSIGNED NULL,
                \`closed_at\` datetime(3) NULL,
                INDEX \`IDX_17a16a1171db6e07020b506176\` (\`store_id\`, \`status\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`stocktake_lines\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`stocktake_id\` int UNSIGNED NOT NULL,
                \`product_id\` int UNSIGNED NOT NULL,
                \`counted_quantity\` int UNSIGNED NOT NULL,
                \`system_quantity\` int UNSIGNED NULL,
                \`counted_at\` datetime(3) NOT NULL,
                UNIQUE INDEX \`IDX_2da2fa28f42c69652a34c122c8\` (\`stocktake_id\`, \`product_id\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`transfers\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`from_store_id\` int UNSIGNED NOT NULL,
                \`to_store_id\` int UNSIGNED NOT NULL,
                \`status\` enum ('pending', 'received', 'cancelled') NOT NULL,
                \`note\` varchar(200) NULL,
                \`created_by\` int UNSIGNED NOT NULL,
                \`created_at\` datetime(3) NOT NULL,
                \`closed_by\` int UNSIGNED NULL,
                \`closed_at\` datetime(3) NULL,
                INDEX \`IDX_8f62462d82c9bc0fe872e513a0\` (\`to_store_id\`, \`status\`),
                INDEX \`IDX_fd495dcb4f9e162d358fe87457\` (\`from_store_id\`, \`created_at\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`transfer_lines\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`transfer_id\` int UNSIGNED NOT NULL,
                \`product_id\` int UNSIGNED NOT NULL,
                \`from_lot_id\` int UNSIGNED NOT NULL,
                \`to_lot_id\` int UNSIGNED NULL,
                \`quantity\` int UNSIGNED NOT NULL,
                \`expiry_date\` date NULL,
                \`unit_value_fen\` int UNSIGNED NOT NULL,
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            ALTER TABLE \`products\`
            ADD CONSTRAINT \`FK_9a5f6868c96e0069e699f33e124\` FOREIGN KEY (\`category_id\`) REFERENCES \`product_categories\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE \`stock_lots\`
            ADD CONSTRAINT \`FK_6bb196d037616e03df6169a2dd1\` FOREIGN KEY (\`product_id\`) REFERENCES \`products\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE \`stocktake_lines\`
            ADD CONSTRAINT \`FK_8d75ab21b1b1f5966146a26b380\` FOREIGN KEY (\`stocktake_id\`) REFERENCES \`stocktakes\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE \`transfer_lines\`
            ADD CONSTRAINT \`FK_34ea85053a1a744e60162c3b43c\` FOREIGN KEY (\`transfer_id\`) REFERENCES \`transfers\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE \`transfer_lines\` DROP FOREIGN KEY \`FK_34ea85053a1a744e60162c3b43c\`
        `);
    await queryRunner.query(`
            ALTER TABLE \`stocktake_lines\` DROP FOREIGN KEY \`FK_8d75ab21b1b1f5966146a26b380\`
        `);
    await queryRunner.query(`
            ALTER TABLE \`stock_lots\` DROP FOREIGN KEY \`FK_6bb196d037616e03df6169a2dd1\`
        `);
    await queryRunner.query(`
            ALTER TABLE \`products\` DROP FOREIGN KEY \`FK_9a5f6868c96e0069e699f33e124\`
        `);
    await queryRunner.query(`
            DROP TABLE \`transfer_lines\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_fd495dcb4f9e162d358fe87457\` ON \`transfers\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_8f62462d82c9bc0fe872e513a0\` ON \`transfers\`
        `);
    await queryRunner.query(`
            DROP TABLE \`transfers\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_2da2fa28f42c69652a34c122c8\` ON \`stocktake_lines\`
        `);
    await queryRunner.query(`
            DROP TABLE \`stocktake_lines\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_17a16a1171db6e07020b506176\` ON \`stocktakes\`
        `);
    await queryRunner.query(`
            DROP TABLE \`stocktakes\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_2dec1a16fa3386015094e2e4a7\` ON \`stock_movements\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_fb379442fe0265e6d9f1248c57\` ON \`stock_movements\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_ae0e902cfdcb5b3ab258a9ff47\` ON \`stock_movements\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_9df9bfe506b56aad20feb11a3d\` ON \`stock_movements\`
        `);
    await queryRunner.query(`
            DROP TABLE \`stock_movements\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_b6534149695869876838720344\` ON \`stock_lots\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_dd69abaa68c9e505680454d9cf\` ON \`stock_lots\`
        `);
    await queryRunner.query(`
            DROP TABLE \`stock_lots\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_4c9fb58de893725258746385e1\` ON \`products\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_01fc9104524def06b3392d5795\` ON \`products\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_adfc522baf9d9b19cd7d9461b7\` ON \`products\`
        `);
    await queryRunner.query(`
            DROP TABLE \`products\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_a75bfadcd8291a0538ab7abfdc\` ON \`product_categories\`
        `);
    await queryRunner.query(`
            DROP TABLE \`product_categories\`
        `);
  }
}
