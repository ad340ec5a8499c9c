import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class Donations1795364556670 implements MigrationInterface {
  name = 'Donations1795364556670';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE \`donors\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`kind\` enum (
                    'individual',
                    'company',
                    'organization',
                    'union_member'
                ) NOT NULL,
                \`name\` varchar(100) NOT NULL,
                \`phone\` varchar(30) NULL,
                \`email\` varchar(100) NULL,
                \`address\` varchar(200) NULL,
                \`credit_code\` varchar(18) NULL,
                \`honor_consent\` tinyint NOT NULL DEFAULT 0,
                \`receipt_preference\` enum ('per_donation', 'annual') NOT NULL DEFAULT 'per_donation',
                \`created_at\` datetime(3) NOT NULL,
                \`updated_at\` datetime(3) NOT NULL,
                UNIQUE INDEX \`IDX_dff596f5309fa05581b01de4c3\` (\`credit_code\`),
                INDEX \`IDX_33194f1442f57d0fb0dd5be345\` (\`phone\`),
                INDEX \`IDX_da785d6806e4471f2ecc6a002f\` (\`name\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`donations\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`store_id\` int UNSIGNED NOT NULL,
                \`donor_id\` int UNSIGNED NOT NULL,
                \`receipt_no\` varchar(32) NOT NULL,
                \`received_date\` date NOT NULL,
                \`goods_value_fen\` bigint UNSIGNED NOT NULL,
                \`cash_fen\` bigint UNSIGNED NOT NULL,
                \`total_value_fen\` bigint UNSIGNED NOT NULL,
                \`note\` varchar(200) NULL,
                \`status\` enum ('active', 'voided') NOT NULL,
                \`void_reason\` varchar(200) NULL,
                \`voided_by\` int UNSIGNED NULL,
                \`voided_at\` datetime(3) NULL,
                \`created_by\` int UNSIGNED NOT NULL,
                \`created_at\` datetime(3) NOT NULL,
                \`idempotency_key\` varchar(100) NULL,
                \`request_hash\` char(64) NULL,
                UNIQUE INDEX \`IDX_faf1590a5bcad30fe19ee51e8e\` (\`receipt_no\`),
                UNIQUE INDEX \`IDX_12d9cead03c2294008982f65c6\` (\`store_id\`, \`idempotency_key\`),
                INDEX \`IDX_653140180306d73741422e08cd\` (\`donor_id\`, \`received_date\`),
                INDEX \`IDX_9c894a6881d88ca9cf8529c576\` (\`store_id\`, \`received_date\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`donation_lines\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`donation_id\` int UNSIGNED NOT NULL,
                \`line_no\` smallint UNSIGNED NOT NULL,
                \`product_id\` int UNSIGNED NOT NULL,
                \`product_name\` varchar(80) NOT NULL,
                \`unit\` varchar(10) NOT NULL,
                \`quantity\` int UNSIGNED NOT NULL,
                \`unit_value_fen\` int UNSIGNED NOT NULL,
                \`amount_fen\` bigint UNSIGNED NOT NULL,
                \`expiry_date\` date NULL,
                \`lot_id\` int UNSIGNED NOT NULL,
                INDEX \`IDX_30c27a5dc2a3a2a46a3b2e980e\` (\`product_id\`),
                UNIQUE INDEX \`IDX_a7f0bbf693a677af16254e8830\` (\`donation_id\`, \`line_no\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`rendered_documents\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`kind\` varchar(40) NOT NULL,
                \`ref_id\` varchar(40) NOT NULL,
                \`version\` varchar(20) NOT NULL,
                \`content_type\` varchar(60) NOT NULL,
                \`content\` mediumblob NOT NULL,
                \`bytes\` int UNSIGNED NOT NULL,
                \`rendered_at\` datetime(3) NOT NULL,
                UNIQUE INDEX \`IDX_d0469dba50060ecc49b8d55726\` (\`kind\`, \`ref_id\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`receipt_sequences\` (
                \`series\` varchar(4) NOT NULL,
                \`store_id\` int UNSIGNED NOT NULL,
                \`year\` smallint UNSIGNED NOT NULL,
                \`last_number\` int UNSIGNED NOT NULL,
                PRIMARY KEY (\`series\`, \`store_id\`, \`year\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            ALTER TABLE \`donations\`
            ADD CONSTRAINT \`FK_6d627a82b263d4ad02bd2255930\` FOREIGN KEY (\`donor_id\`) REFERENCES \`donors\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE \`donation_lines\`
            ADD CONSTRAINT \`FK_a6267972e686e1a82a8ffceb932\` FOREIGN KEY (\`donation_id\`) REFERENCES \`donations\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE \`donation_lines\` DROP FOREIGN KEY \`FK_a6267972e686e1a82a8ffceb932\`
        `);
    await queryRunner.query(`
            ALTER TABLE \`donations\` DROP FOREIGN KEY \`FK_6d627a82b263d4ad02bd2255930\`
        `);
    await queryRunner.query(`
            DROP TABLE \`receipt_sequences\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_d0469dba50060ecc49b8d55726\` ON \`rendered_documents\`
        `);
    await queryRunner.query(`
            DROP TABLE \`rendered_documents\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_a7f0bbf693a677af16254e8830\` ON \`donation_lines\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_30c27a5dc2a3a2a46a3b2e980e\` ON \`donation_lines\`
        `);
    await queryRunner.query(`
            DROP TABLE \`donation_lines\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_9c894a6881d88ca9cf8529c576\` ON \`donations\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_653140180306d73741422e08cd\` ON \`donations\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_12d9cead03c2294008982f65c6\` ON \`donations\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_faf1590a5bcad30fe19ee51e8e\` ON \`donations\`
        `);
    await queryRunner.query(`
            DROP TABLE \`donations\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_da785d6806e4471f2ecc6a002f\` ON \`donors\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_33194f1442f57d0fb0dd5be345\` ON \`donors\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_dff596f5309fa05581b01de4c3\` ON \`donors\`
        `);
    await queryRunner.query(`
            DROP TABLE \`donors\`
        `);
  }
}
