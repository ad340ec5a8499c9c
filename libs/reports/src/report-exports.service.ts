import {
  businessDate,
  ForbiddenError,
  isStoreRole,
  NotFoundError,
  onReplica,
  shiftMonth,
  SYSTEM_ACTOR,
  type Actor,
} from '@charity/common';
import { AppConfig } from '@charity/config';
import {
  queueCall,
  QUEUES,
  REPORT_JOBS,
  reportExportJobId,
  type ReportExportJob,
} from '@charity/queue';
import { findRenderedDocument, saveRenderedDocument } from '@charity/receipts';
import { InjectQueue } from '@nestjs/bull';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { monthLabel } from './month-label';
import { MonthlyReportsService } from './monthly-reports.service';
import { ExportNotReadyError } from './report-errors';
import type { MonthlyReport } from './monthly-report.types';
import { ReportExport, type ExportFormat, type ExportKind } from './report-export.entity';
import { Organisation } from './report-scope';
import { renderMonthlyReportPdf, renderMonthlyReportXlsx } from './render';

export const REPORT_EXPORT_DOCUMENT = 'report_export';

/** The media type of each export format, as downloads are served. */
export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface ExportRequest {
  kind: ExportKind;
  month: string;
  regionId?: number;
  storeId?: number;
  format: ExportFormat;
}

export interface ExportView {
  id: number;
  kind: ExportKind;
  month: string;
  regionId: number | null;
  storeId: number | null;
  format: ExportFormat;
  status: ReportExport['status'];
  progress: number;
  fileName: string | null;
  bytes: number | null;
  error: string | null;
  archived: boolean;
  createdAt: Date;
  finishedAt: Date | null;
  fileUrl: string | null;
}

export interface ExportFile {
  content: Buffer;
  contentType: string;
  fileName: string;
}

/**
 * Report files rendered by the worker. The `report_exports` row is the record the client polls;
 * the Bull job only carries its id, so a job retried after a worker crash finds the row, renders
 * again and completes it once.
 */
@Injectable()
export class ReportExportsService {
  private readonly logger = new Logger(ReportExportsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly reports: MonthlyReportsService,
    @InjectQueue(QUEUES.reports) private readonly queue: Queue,
  ) {}

  async request(actor: Actor, request: ExportRequest): Promise<ExportView> {
    // resolving the scope checks the actor may see it, before anything is queued
    const scope = await onReplica(this.dataSource, async (query) =>
      (await Organisation.load(query)).scopeFor(actor, request),
    );
    const row = await this.dataSource.getRepository(ReportExport).save({
      kind: request.kind,
      month: request.month,
      regionId: scope.region.level === 'store' ? null : scope.region.id,
      storeId: scope.region.level === 'store' ? scope.region.id : null,
      format: request.format,
      status: 'queued',
      progress: 0,
      fileName: null,
      bytes: null,
      error: null,
      attempts: 0,
      archived: false,
      requestedBy: actor.userId || null,
      createdAt: new Date(),
      finishedAt: null,
    });
    try {
      await queueCall(this.enqueue(row), this.config.queueTimeoutMs);
    } catch (error) {
      // refused, so nothing is left behind: a job that still reaches Redis finds no row and is dropped
      await this.dataSource.getRepository(ReportExport).delete({ id: row.id });
      throw error;
    }
    return view(row);
  }

  async get(actor: Actor, id: number): Promise<ExportView> {
    return view(await this.visible(actor, id));
  }

  async file(actor: Actor, id: number): Promise<ExportFile> {
    const row = await this.visible(actor, id);
    const stored =
      row.status === 'done'
        ? await findRenderedDocument(this.dataSource.manager, REPORT_EXPORT_DOCUMENT, id)
        : null;
    if (!stored) {
      throw new ExportNotReadyError({ id, status: row.status, progress: row.progress });
    }
    return {
      content: stored.content,
      contentType: stored.contentType,
      fileName: row.fileName ?? `report-${id}.${row.format}`,
    };
  }

  /** 月报存档: the reports the schedule made, newest month first. */
  async archive(actor: Actor): Promise<ExportView[]> {
    const rows = await this.dataSource
      .getRepository(ReportExport)
      .find({ where: { archived: true, status: 'done' }, order: { month: 'DESC', id: 'ASC' } });
    return rows.filter((row) => this.mayRead(actor, row)).map(view);
  }

  /**
   * The schedule's job: the previous month's report for each county, as PDF and XLSX. A row that
   * already exists for the month is reused, so a second firing renders nothing new.
   */
  async archiveMonth(month?: string): Promise<number[]> {
    const target =
      month ?? shiftMonth(businessDate(new Date(), this.config.timeZone).slice(0, 7), -1);
    const counties = await this.dataSource.query<{ id: number }[]>(
      `SELECT id FROM regions WHERE level = 'county' ORDER BY id`,
    );
    const ids: number[] = [];
    for (const county of counties) {
      for (const format of ['pdf', 'xlsx'] as const) {
        const existing = await this.dataSource.getRepository(ReportExport).findOneBy({
          archived: true,
          kind: 'monthly',
          month: target,
          regionId: Number(county.id),
          format,
        });
        const row =
          existing ??
          (await this.dataSource.getRepository(ReportExport).save({
            kind: 'monthly',
            month: target,
            regionId: Number(county.id),
            storeId: null,
            format,
            status: 'queued',
            progress: 0,
            fileName: null,
            bytes: null,
            error: null,
            attempts: 0,
            archived: true,
            requestedBy: null,
            createdAt: new Date(),
            finishedAt: null,
          }));
        if (row.status !== 'done') await this.enqueue(row);
        ids.push(row.id);
      }
    }
    return ids;
  }

  /**
   * The worker's part: render and store the file, then mark the row done, once. `progress`
   * reports each step back to the row (and to Bull's job).
   */
  async run(id: number, progress: (percent: number) => Promise<void>): Promise<ExportView | null> {
    const repository = this.dataSource.getRepository(ReportExport);
    const row = await repository.findOneBy({ id });
    if (!row) {
      // the row is the record: a job left over from a database restored or emptied has no work
      this.logger.warn(`report export ${id} no longer exists; its job is dropped`);
      return null;
    }
    if (row.status === 'done') return view(row);
    // Bull can run a job twice at once (a lock that ran out under a busy worker): neither run may
    // touch a row the other has finished
    await this.dataSource.query(
      `UPDATE report_exports SET status = 'running', attempts = attempts + 1, error = NULL
        WHERE id = ? AND status <> 'done'`,
      [id],
    );
    const step = async (percent: number) => {
      await this.dataSource.query(
        `UPDATE report_exports SET progress = ? WHERE id = ? AND status <> 'done'`,
        [percent, id],
      );
      await progress(percent);
    };
    await step(5);
    const report = await this.reports.monthly(SYSTEM_ACTOR, {
      month: row.month,
      regionId: row.regionId ?? undefined,
      storeId: row.storeId ?? undefined,
    });
    await step(40);
    let content: Buffer;
    if (row.format === 'pdf') {
      content = await renderMonthlyReportPdf(report, { unionName: this.config.unionName });
    } else {
      const scope = {
        month: row.month,
        regionId: row.regionId ?? undefined,
        storeId: row.storeId ?? undefined,
      };
      const [donations, aid] = [
        await this.reports.donationRegister(SYSTEM_ACTOR, scope, null),
        await this.reports.aidRegister(SYSTEM_ACTOR, scope, null),
      ];
      await step(60);
      content = await renderMonthlyReportXlsx(report, {
        donations: donations.items,
        aid: aid.items,
      });
    }
    await step(90);
    const fileName = fileNameOf(report, row.format);
    await this.dataSource.transaction(async (em) => {
      await saveRenderedDocument(
        em,
        REPORT_EXPORT_DOCUMENT,
        id,
        'done',
        content,
        EXPORT_CONTENT_TYPES[row.format],
      );
      await em.query(
        `UPDATE report_exports SET status = 'done', progress = 100, file_name = ?, bytes = ?,
                finished_at = ? WHERE id = ? AND status <> 'done'`,
        [fileName, content.length, new Date(), id],
      );
    });
    this.logger.log(
      `report export ${id} (${row.format}, ${row.month}) done: ${content.length} bytes`,
    );
    return view((await repository.findOneBy({ id })) ?? row);
  }

  /** Records a failure the job will not retry. */
  async fail(id: number, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE report_exports SET status = 'failed', error = ? WHERE id = ? AND status <> 'done'`,
      [error.slice(0, 300), id],
    );
  }

  private async enqueue(row: ReportExport): Promise<void> {
    const job: ReportExportJob = { exportId: row.id };
    await this.queue.add(REPORT_JOBS.export, job, {
      jobId: reportExportJobId(row.id, row.createdAt),
      attempts: 3,
    });
  }

  private async visible(actor: Actor, id: number): Promise<ReportExport> {
    const row = await this.dataSource.getRepository(ReportExport).findOneBy({ id });
    if (!row) throw new NotFoundError('reportExport', id);
    if (!this.mayRead(actor, row)) throw new ForbiddenError('无权查看这份导出', { id });
    return row;
  }

  /** County roles read every export; store roles those of their own store. */
  private mayRead(actor: Actor, row: ReportExport): boolean {
    return !isStoreRole(actor.role) || (row.storeId !== null && row.storeId === actor.storeId);
  }
}

function view(row: ReportExport): ExportView {
  return {
    id: row.id,
    kind: row.kind,
    month: row.month,
    regionId: row.regionId,
    storeId: row.storeId,
    format: row.format,
    status: row.status,
    progress: row.progress,
    fileName: row.fileName,
    bytes: row.bytes,
    error: row.error,
    archived: row.archived,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    fileUrl: row.status === 'done' ? `/api/v1/reports/exports/${row.id}/file` : null,
  };
}

/** `城关县爱心超市2026年10月工作月报.pdf` */
function fileNameOf(report: MonthlyReport, format: ExportFormat): string {
  return `${report.region.name}爱心超市${monthLabel(report.month)}工作月报.${format}`;
}
