import { AuditService } from '@charity/audit';
import { DuplicateError, isDuplicateKeyError, NotFoundError, type Actor } from '@charity/common';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { PointRule } from './point-rule.entity';

export interface NewPointRule {
  code: string;
  name: string;
  points: number;
  monthlyCap?: number | null;
  description?: string | null;
  active?: boolean;
}

export type PointRuleChanges = Partial<NewPointRule>;

/** The 积分评定 catalogue, kept by the county. */
@Injectable()
export class PointRulesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, input: NewPointRule): Promise<PointRule> {
    return this.saveUnique(input.code, input.name, (em) => this.createIn(em, actor, input));
  }

  async createIn(em: EntityManager, actor: Actor, input: NewPointRule): Promise<PointRule> {
    const now = new Date();
    const rule = em.create(PointRule, {
      code: normalizeRuleCode(input.code),
      name: input.name,
      points: input.points,
      monthlyCap: input.monthlyCap ?? null,
      description: input.description ?? null,
      active: input.active ?? true,
      createdAt: now,
      updatedAt: now,
    });
    await em.insert(PointRule, rule);
    await this.audit.record(em, actor, {
      action: 'point_rule.create',
      entityType: 'point_rule',
      entityId: rule.id,
      summary: `新增评定规则 ${rule.code} ${rule.name}（${signed(rule.points)} 分）`,
    });
    return rule;
  }

  async update(actor: Actor, id: number, changes: PointRuleChanges): Promise<PointRule> {
    return this.saveUnique(changes.code ?? '', changes.name ?? '', async (em) => {
      const rule = await em.findOneBy(PointRule, { id });
      if (!rule) throw new NotFoundError('pointRule', id);
      if (changes.code !== undefined) rule.code = normalizeRuleCode(changes.code);
      if (changes.name !== undefined) rule.name = changes.name;
      if (changes.points !== undefined) rule.points = changes.points;
      if (changes.monthlyCap !== undefined) rule.monthlyCap = changes.monthlyCap;
      if (changes.description !== undefined) rule.description = changes.description;
      if (changes.active !== undefined) rule.active = changes.active;
      rule.updatedAt = new Date();
      await em.save(PointRule, rule);
      await this.audit.record(em, actor, {
        action: 'point_rule.update',
        entityType: 'point_rule',
        entityId: id,
        summary: `修改评定规则 ${rule.code} ${rule.name}（${signed(rule.points)} 分）`,
      });
      return rule;
    });
  }

  async list(filter: { active?: boolean } = {}): Promise<PointRule[]> {
    return this.dataSource.getRepository(PointRule).find({
      where: filter.active === undefined ? {} : { active: filter.active },
      order: { code: 'ASC' },
    });
  }

  async get(id: number): Promise<PointRule> {
    const rule = await this.dataSource.getRepository(PointRule).findOneBy({ id });
    if (!rule) throw new NotFoundError('pointRule', id);
    return rule;
  }

  async findByCode(em: EntityManager, code: string): Promise<PointRule | null> {
    return em.findOneBy(PointRule, { code: normalizeRuleCode(code) });
  }

  private async saveUnique<T>(
    code: string,
    name: string,
    work: (em: EntityManager) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new DuplicateError(`评定规则编码“${code}”或名称“${name}”已存在`, { code, name });
      }
      throw error;
    }
  }
}

/** Rule codes are upper case (`TIDY_YARD`), however they are typed. */
export function normalizeRuleCode(code: string): string {
  return code.trim().toUpperCase();
}

export function signed(points: number): string {
  return points > 0 ? `+${points}` : String(points);
}
