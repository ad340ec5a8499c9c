import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class Platform1795359731300 implements MigrationInterface {
  name = 'Platform1795359731300';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // utf8mb4_unicode_ci weighs every character outside the BMP (𠮷, 𠂤 … in place and family
    // names) the same, so two names differing only in one collided as duplicates; 520 tells them
    // apart on MySQL and MariaDB alike. Tables created from here on inherit it.
    await queryRunner.query('ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci');
    await queryRunner.query(`
            CREATE TABLE \`audit_entries\` (
                \`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT,
                \`occurred_at\` datetime(3) NOT NULL,
                \`actor_id\` int UNSIGNED NULL,
                \`actor_username\` varchar(40) NOT NULL,
                \`actor_role\` enum (
                    'county_admin',
                    'store_manager',
                    'clerk',
                    'auditor',
                    'system',
                    'anonymous'
                ) NOT NULL,
                \`store_id\` int UNSIGNED NULL,
                \`action\` varchar(60) NOT NULL,
                \`entity_type\` varchar(40) NOT NULL,
                \`entity_id\` varchar(40) NULL,
                \`summary\` varchar(500) NOT NULL,
                \`request_id\` varchar(64) NULL,
                \`ip\` varchar(45) NULL,
                INDEX \`IDX_c32f8a47841252989b895bb47e\` (\`store_id\`, \`occurred_at\`),
                INDEX \`IDX_cf6a71b354557da1ce1959c1bf\` (\`actor_id\`, \`occurred_at\`),
                INDEX \`IDX_72fa5f8031d03379af0a0bb9cc\` (\`entity_type\`, \`entity_id\`),
                INDEX \`IDX_6f797e914abf598c14a076caa4\` (\`occurred_at\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`regions\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`name\` varchar(60) NOT NULL,
                \`level\` enum ('county', 'township', 'village') NOT NULL,
                \`parent_id\` int UNSIGNED NULL,
                \`code\` varchar(12) NULL,
                \`created_at\` datetime(3) NOT NULL,
                UNIQUE INDEX \`IDX_ebfd3a6189ceee3c2730e5e85c\` (\`parent_id\`, \`name\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`stores\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`code\` varchar(10) NOT NULL,
                \`name\` varchar(80) NOT NULL,
                \`region_id\` int UNSIGNED NOT NULL,
                \`address\` varchar(200) NULL,
                \`phone\` varchar(30) NULL,
                \`active\` tinyint NOT NULL DEFAULT 1,
                \`created_at\` datetime(3) NOT NULL,
                \`updated_at\` datetime(3) NOT NULL,
                UNIQUE INDEX \`IDX_72bdebc754d6a689b3c169cab8\` (\`code\`),
                UNIQUE INDEX \`IDX_a205ca5a37fa5e10005f003aaf\` (\`name\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            CREATE TABLE \`users\` (
                \`id\` int UNSIGNED NOT NULL AUTO_INCREMENT,
                \`username\` varchar(40) NOT NULL,
                \`display_name\` varchar(40) NOT NULL,
                \`password_hash\` varchar(200) NOT NULL,
                \`role\` enum (
                    'county_admin',
                    'store_manager',
                    'clerk',
                    'auditor'
                ) NOT NULL,
                \`store_id\` int UNSIGNED NULL,
                \`active\` tinyint NOT NULL DEFAULT 1,
                \`token_version\` int UNSIGNED NOT NULL DEFAULT '0',
                \`last_login_at\` datetime(3) NULL,
                \`created_at\` datetime(3) NOT NULL,
                \`updated_at\` datetime(3) NOT NULL,
                UNIQUE INDEX \`IDX_fe0bb3f6520ee0469504521e71\` (\`username\`),
                PRIMARY KEY (\`id\`)
            ) ENGINE = InnoDB
        `);
    await queryRunner.query(`
            ALTER TABLE \`regions\`
            ADD CONSTRAINT \`FK_b1dc15f575548116575b521d8de\` FOREIGN KEY (\`parent_id\`) REFERENCES \`regions\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE \`stores\`
            ADD CONSTRAINT \`FK_20d8079f3a0833a4b044d69bc19\` FOREIGN KEY (\`region_id\`) REFERENCES \`regions\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE \`users\`
            ADD CONSTRAINT \`FK_98a52595c9031d60f5c8d280ca4\` FOREIGN KEY (\`store_id\`) REFERENCES \`stores\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE \`users\` DROP FOREIGN KEY \`FK_98a52595c9031d60f5c8d280ca4\`
        `);
    await queryRunner.query(`
            ALTER TABLE \`stores\` DROP FOREIGN KEY \`FK_20d8079f3a0833a4b044d69bc19\`
        `);
    await queryRunner.query(`
            ALTER TABLE \`regions\` DROP FOREIGN KEY \`FK_b1dc15f575548116575b521d8de\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_fe0bb3f6520ee0469504521e71\` ON \`users\`
        `);
    await queryRunner.query(`
            DROP TABLE \`users\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_a205ca5a37fa5e10005f003aaf\` ON \`stores\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_72bdebc754d6a689b3c169cab8\` ON \`stores\`
        `);
    await queryRunner.query(`
            DROP TABLE \`stores\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_ebfd3a6189ceee3c2730e5e85c\` ON \`regions\`
        `);
    await queryRunner.query(`
            DROP TABLE \`regions\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_6f797e914abf598c14a076caa4\` ON \`audit_entries\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_72fa5f8031d03379af0a0bb9cc\` ON \`audit_entries\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_cf6a71b354557da1ce1959c1bf\` ON \`audit_entries\`
        `);
    await queryRunner.query(`
            DROP INDEX \`IDX_c32f8a47841252989b895bb47e\` ON \`audit_entries\`
        `);
    await queryRunner.query(`
            DROP TABLE \`audit_entries\`
        `);
  }
}
