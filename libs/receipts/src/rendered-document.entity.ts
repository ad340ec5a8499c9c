import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A rendered PDF kept for download (a donation receipt, a redemption receipt …): one row per
 * document and kind, replaced when the document changes (e.g. a void adds the 作废 mark), so a
 * retried render job never leaves two files.
 */
@Entity('rendered_documents')
@Index(['kind', 'refId'], { unique: true })
export class RenderedDocument {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  /** `donation_receipt`, `redemption_receipt_80` … */
  @Column({ type: 'varchar', length: 40 })
  kind!: string;

  @Column({ type: 'varchar', length: 40 })
  refId!: string;

  /** The document's state when rendered (e.g. `active`, `voided`); stale when it differs. */
  @Column({ type: 'varchar', length: 20 })
  version!: string;

  /** Up to the 65 characters of the XLSX type. */
  @Column({ type: 'varchar', length: 100 })
  contentType!: string;

  @Column({ type: 'mediumblob' })
  content!: Buffer;

  @Column({ type: 'int', unsigned: true })
  bytes!: number;

  @Column({ type: 'datetime', precision: 3 })
  renderedAt!: Date;
}
