import { type MigrationInterface, type QueryRunner } from 'typeorm';

export class TransferLineFromLotIndex1795405557206 implements MigrationInterface {
  name = 'TransferLineFromLotIndex1795405557206';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX \`IDX_d8b611a59419e4815b2ed2655e\` ON \`transfer_lines\` (\`from_lot_id\`)
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX \`IDX_d8b611a59419e4815b2ed2655e\` ON \`transfer_lines\`
        `);
  }
}
