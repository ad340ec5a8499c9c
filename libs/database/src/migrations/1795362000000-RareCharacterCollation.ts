import { type MigrationInterface, type QueryRunner } from 'typeorm';

const TABLES = ['regions', 'stores', 'users', 'audit_entries'];

/**
 * utf8mb4_unicode_ci gives every character outside the BMP (𠮷, 𠂤 … found in place and family
 * names) the same weight, so two villages or stores differing only in such a character collided
 * as duplicates. utf8mb4_unicode_520_ci (MySQL and MariaDB) tells them apart; the database default
 * changes too, so tables created by later migrations inherit it.
 */
export class RareCharacterCollation1795362000000 implements MigrationInterface {
  name = 'RareCharacterCollation1795362000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await this.collate(queryRunner, 'utf8mb4_unicode_520_ci');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await this.collate(queryRunner, 'utf8mb4_unicode_ci');
  }

  private async collate(queryRunner: QueryRunner, collation: string): Promise<void> {
    await queryRunner.query(`ALTER DATABASE CHARACTER SET utf8mb4 COLLATE ${collation}`);
    for (const table of TABLES) {
      await queryRunner.query(
        `ALTER TABLE \`${table}\` CONVERT TO CHARACTER SET utf8mb4 COLLATE ${collation}`,
      );
    }
  }
}
