import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const EXPORT_KINDS = ['monthly', 'donor_impact'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const EXPORT_FORMATS = ['pdf', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/**
 * A report file asked for (or scheduled) and rendered by the worker. The row, not the Bull job,
 * is the record: it outlives the job, tracks progress, and its file sits in `rendered_documents`
 * (kind `report_export`, ref = this id).
 */
@Entity('report_exports')
@Index(['archived', 'month'])
@Index(['requestedBy', 'id'])
export class ReportExport {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'enum', enum: EXPORT_KINDS })
  kind!: ExportKind;

  @Column({ type: 'char', length: 7 })
  month!: string;

  /** Null for the whole deployment. */
  @Column({ type: 'int', unsigned: true, nullable: true })
  regionId!: number | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  storeId!: number | null;

  @Column({ type: 'enum', enum: EXPORT_FORMATS })
  format!: ExportFormat;

  @Column({ type: 'enum', enum: EXPORT_STATUSES })
  status!: ExportStatus;

  /** 0–100. */
  @Column({ type: 'tinyint', unsigned: true, default: 0 })
  progress!: number;

  @Column({ type: 'varchar', length: 120, nullable: true })
  fileName!: string | null;

  @Column({ type: 'int', unsigned: true, nullable: true })
  bytes!: number | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  error!: string | null;

  /** How many times the worker started it (a retry after a crash makes it 2). */
  @Column({ type: 'tinyint', unsigned: true, default: 0 })
  attempts!: number;

  /** Made by the monthly schedule and listed in the archive. */
  @Column({ type: 'boolean', default: false })
  archived!: boolean;

  /** Null for the schedule. */
  @Column({ type: 'int', unsigned: true, nullable: true })
  requestedBy!: number | null;

  @Column({ type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ type: 'datetime', precision: 3, nullable: true })
  finishedAt!: Date | null;
}
