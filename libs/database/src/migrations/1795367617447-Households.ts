import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class Households1795367617447 implements MigrationInterface {
  name = 'Households1795367617447';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE \`households\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`card_no\` varchar(12) NOT NULL,
                \`head_name\` varchar(50) NOT NULL,
                \`id_number_cipher\` varchar(120) NOT NULL,
                \`id_number_hash\` char(64) NOT NULL,
                \`id_number_masked\` varchar(18) NOT NULL,
                \`id_number_last4\` char(4) NOT NULL,
                \`category\` enum ('wubao', 'dibao', 'tekun', 'other') NOT NULL,
                \`member_count\` smallint UNSIGNED NOT NULL,
                \`region_id\` int UNSIGNED NOT NULL,
                \`home_store_id\` int UNSIGNED NOT NULL,
                \`phone_cipher\` varchar(120) NULL,
                \`phone_hash\` char(64) NULL,
                \`phone_masked\` varchar(20) NULL,
                \`phone_last4\` char(4) NULL,
                \`address\` varchar(200) NULL,
                \`status\` enum ('active', 'suspended', 'exited') NOT NULL DEFAULT 'active',
                \`exited_on\` date NULL,
                \`status_reason\` varchar(200) NULL,
                \`balance\` int UNSIGNED NOT NULL DEFAULT '0',
                \`created_by\` int UNSIGNED NULL,
                \`created_at\` datetime(3) NOT NULL,
                \`updated_at\` datetime(3) NOT NULL,
                UNIQUE INDEX \`IDX_8b1816f75b7c8fdf3419d095b7\` (\`card_no\`),
                UNIQUE INDEX \`IDX_9e71f4ad84a8917c737550c28e\` (\`id_number_hash\`),
                INDEX \`IDX_6db420b36e4fbd2c48d7a0b080\` (\`phone_last4\`),
                INDEX \`IDX_fecdce29f3c64922cd73d46595\` (\`phone_hash\`),
                INDEX \`IDX_cd713ef93dafaf71d87a1e025d\` (\`id_number_last4\`),
                INDEX \`IDX_69b4538409f58bf6777a31caaf\` (\`head_name\`),
                INDEX \`IDX_76b04194ce3cf5893f27ed5b2c\` (\`home_store_id\`, \`status\`),
                INDEX \`IDX_cf49b1813faac6d65d217bd2a4\` (\`region_id\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`allotment_schedules\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`category\` enum ('wubao', 'dibao', 'tekun', 'other') NOT NULL,
                \`base_points\` int UNSIGNED NOT NULL,
                \`per_extra_member\` int UNSIGNED NOT NULL DEFAULT '0',
                \`active\` tinyint NOT NULL DEFAULT 1,
                \`updated_by\` int UNSIGNED NULL,
                \`updated_at\` datetime(3) NOT NULL,
                UNIQUE INDEX \`IDX_6b502e3eb49d0c5e91a5cbe888\` (\`category\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`point_rules\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`code\` varchar(30) NOT NULL,
                \`name\` varchar(60) NOT NULL,
                \`points\` int NOT NULL,
                \`monthly_cap\` smallint UNSIGNED NULL,
                \`description\` varchar(200) NULL,
                \`active\` tinyint NOT NULL DEFAULT 1,
                \`created_at\` datetime(3) NOT NULL,
                \`updated_at\` datetime(3) NOT NULL,
                UNIQUE INDEX \`IDX_1d5c186db00bff2c21dde61606\` (\`code\`),
                UNIQUE INDEX \`IDX_78f4381c659b86b3cd40adfae1\` (\`name\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`points_allocations\` (
                \`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT,
                \`entry_id\` bigint UNSIGNED NOT NULL,
                \`grant_id\` int UNSIGNED NOT NULL,
                \`points\` int NOT NULL,
                INDEX \`IDX_cd6216e938d1ebf8d1d08649b7\` (\`grant_id\`),
                INDEX \`IDX_5035e9367ee070989a8bbc49d0\` (\`entry_id\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`points_entries\` (
                \`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT,
                \`household_id\` int UNSIGNED NOT NULL,
                \`kind\` enum (
                    'award',
                    'allotment',
                    'adjustment',
                    'redemption',
                    'reversal',
                    'expiry'
                ) NOT NULL,
                \`points\` int NOT NULL,
                \`balance_after\` int UNSIGNED NOT NULL,
                \`store_id\` int UNSIGNED NOT NULL,
                \`actor_id\` int UNSIGNED NULL,
                \`occurred_at\` datetime(3) NOT NULL,
                \`business_date\` date NOT NULL,
                \`reason\` varchar(200) NOT NULL,
                \`source_type\` varchar(30) NOT NULL,
                \`source_id\` varchar(40) NULL,
                \`rule_id\` int UNSIGNED NULL,
                \`batch_id\` int UNSIGNED NULL,
                \`period\` char(7) NULL,
                \`allotment_month\` char(7) NULL,
                \`reverses_entry_id\` bigint UNSIGNED NULL,
                UNIQUE INDEX \`IDX_d37536115363b8f062a69575a5\` (\`reverses_entry_id\`),
                UNIQUE INDEX \`IDX_579b79e76f3e8273c123be2050\` (\`household_id\`, \`allotment_month\`),
                INDEX \`IDX_e1869a258ce7ac624ebceef80b\` (\`household_id\`, \`rule_id\`, \`period\`),
                INDEX \`IDX_4d11b8ab0c525b287433c770c2\` (\`source_type\`, \`source_id\`),
                INDEX \`IDX_a6ad50cc31f649919ce67ec1c7\` (\`store_id\`, \`business_date\`),
                INDEX \`IDX_4320e2a0b0e2cb1c75b7e16b7e\` (\`kind\`, \`business_date\`),
                INDEX \`IDX_9bd2b69bd4e57310d48678d30a\` (\`household_id\`, \`id\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`points_grants\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`household_id\` int UNSIGNED NOT NULL,
                \`entry_id\` bigint UNSIGNED NOT NULL,
                \`points\` int UNSIGNED NOT NULL,
                \`remaining\` int UNSIGNED NOT NULL,
                \`granted_on\` date NOT NULL,
                \`expires_on\` date NULL,
                UNIQUE INDEX \`IDX_fb2568ddf314d41b1435c7d2fa\` (\`entry_id\`),
                INDEX \`IDX_b53c59cd91ac1165e67055780b\` (\`expires_on\`),
                INDEX \`IDX_b396709e767a2c9bd4c3b42f93\` (\`household_id\`, \`expires_on\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`points_policy\` (
                \`id\` tinyint UNSIGNED NOT NULL,
                \`expiry_months\` smallint UNSIGNED NOT NULL DEFAULT '0',
                \`exited_may_spend\` tinyint NOT NULL DEFAULT 0,
                \`card_name_display\` enum ('masked', 'full') NOT NULL DEFAULT 'masked',
                \`updated_by\` int UNSIGNED NULL,
                \`updated_at\` datetime(3) NULL,
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`point_award_batch_lines\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`batch_id\` int UNSIGNED NOT NULL,
                \`row_no\` int UNSIGNED NOT NULL,
                \`household_id\` int UNSIGNED NOT NULL,
                \`rule_id\` int UNSIGNED NOT NULL,
                \`points\` int NOT NULL,
                \`note\` varchar(200) NULL,
                \`entry_id\` bigint UNSIGNED NULL,
                INDEX \`IDX_df57118677f760c3116bb20e0d\` (\`household_id\`),
                UNIQUE INDEX \`IDX_5fff2a53d0e310e07936235343\` (\`batch_id\`, \`row_no\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`point_award_batches\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`region_id\` int UNSIGNED NOT NULL,
                \`month\` char(7) NOT NULL,
                \`status\` enum ('pending', 'posted', 'withdrawn') NOT NULL,
                \`notice_days\` smallint UNSIGNED NOT NULL DEFAULT '0',
                \`post_on\` date NOT NULL,
                \`line_count\` int UNSIGNED NOT NULL,
                \`points_total\` int NOT NULL,
                \`note\` varchar(200) NULL,
                \`created_by\` int UNSIGNED NOT NULL,
                \`created_at\` datetime(3) NOT NULL,
                \`posted_at\` datetime(3) NULL,
                \`withdrawn_by\` int UNSIGNED NULL,
                \`withdrawn_at\` datetime(3) NULL,
                \`withdraw_reason\` varchar(200) NULL,
                \`last_error\` varchar(500) NULL,
                INDEX \`IDX_54b7b11abb10f79fb68fef13a5\` (\`region_id\`, \`month\`),
                INDEX \`IDX_e429043926daa427e73fc159bb\` (\`status\`, \`post_on\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            ALTER TABLE \`households\`
            ADD CONSTRAINT \`FK_cf49b1813faac6d65d217bd2a48\` FOREIGN KEY (\`region_id\`) REFERENCES \`regions\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE \`households\`
            ADD CONSTRAINT \`FK_24ab01f20c5ee0037473abd00c8\` FOREIGN KEY (\`home_store_id\`) REFERENCES \`stores\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE \`households\` DROP FOREIGN KEY \`FK_24ab01f20c5ee0037473abd00c8\`
        `);
    await queryRunner.query(`
            ALTER TABLE \`households\` DROP FOREIGN KEY \`FK_cf49b1813faac6d65d217bd2a48\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_e429043926daa427e73fc159bb\` ON \`point_award_batches\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_54b7b11abb10f79fb68fef13a5\` ON \`point_award_batches\`
        `);
    await queryRunner.query(`
            DROP TABLE \`point_award_batches\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_5fff2a53d0e310e07936235343\` ON \`point_award_batch_lines\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_df57118677f760c3116bb20e0d\` ON \`point_award_batch_lines\`
        `);
    await queryRunner.query(`
            DROP TABLE \`point_award_batch_lines\`
        `);
    await queryRunner.query(`
            DROP TABLE \`points_policy\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_b396709e767a2c9bd4c3b42f93\` ON \`points_grants\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_b53c59cd91ac1165e67055780b\` ON \`points_grants\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_fb2568ddf314d41b1435c7d2fa\` ON \`points_grants\`
        `);
    await queryRunner.query(`
            DROP TABLE \`points_grants\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_9bd2b69bd4e57310d48678d30a\` ON \`points_entries\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_4320e2a0b0e2cb1c75b7e16b7e\` ON \`points_entries\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_a6ad50cc31f649919ce67ec1c7\` ON \`points_entries\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_4d11b8ab0c525b287433c770c2\` ON \`points_entries\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_e1869a258ce7ac624ebceef80b\` ON \`points_entries\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_579b79e76f3e8273c123be2050\` ON \`points_entries\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_d37536115363b8f062a69575a5\` ON \`points_entries\`
        `);
    await queryRunner.query(`
            DROP TABLE \`points_entries\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_5035e9367ee070989a8bbc49d0\` ON \`points_allocations\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_cd6216e938d1ebf8d1d08649b7\` ON \`points_allocations\`
        `);
    await queryRunner.query(`
            DROP TABLE \`points_allocations\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_78f4381c659b86b3cd40adfae1\` ON \`point_rules\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_1d5c186db00bff2c21dde61606\` ON \`point_rules\`
        `);
    await queryRunner.query(`
            DROP TABLE \`point_rules\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_6b502e3eb49d0c5e91a5cbe888\` ON \`allotment_schedules\`
        `);
    await queryRunner.query(`
            DROP TABLE \`allotment_schedules\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_cf49b1813faac6d65d217bd2a4\` ON \`households\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_76b04194ce3cf5893f27ed5b2c\` ON \`households\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_69b4538409f58bf6777a31caaf\` ON \`households\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_cd713ef93dafaf71d87a1e025d\` ON \`households\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_fecdce29f3c64922cd73d46595\` ON \`households\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_6db420b36e4fbd2c48d7a0b080\` ON \`households\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_9e71f4ad84a8917c737550c28e\` ON \`households\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_8b1816f75b7c8fdf3419d095b7\` ON \`households\`
        `);
    await queryRunner.query(`
            DROP TABLE \`households\`
        `);
  }
}
