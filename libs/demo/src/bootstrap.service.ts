import { findUnsafeAccounts, toActor, UnsafeAccountsError, UsersService } from '@charity/accounts';
import { AuditService } from '@charity/audit';
import { SYSTEM_ACTOR, type Actor } from '@charity/common';
import { DonationsService } from '@charity/donations';
import { AppConfig } from '@charity/config';
import { databaseLockName } from '@charity/database';
import {
  AllotmentsService,
  HouseholdsService,
  PointRulesService,
  PointsLedger,
  PointsService,
} from '@charity/households';
import {
  ProductCategoriesService,
  ProductsService,
  StockService,
  type CatalogueProduct,
} from '@charity/inventory';
import { Region, RegionsService, StoresService } from '@charity/organisation';
import { RedemptionsService } from '@charity/redemptions';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DEMO_REGIONS, DEMO_STAFF_PASSWORD, DEMO_STORES, DEMO_USERS } from './demo-county';
import { loadDemoCatalogue } from './demo-products';
import { loadDemoDonations } from './demo-donations';
import { loadDemoHouseholds, type LoadedDemoHousehold } from './demo-households';
import { loadDemoPoints } from './demo-points';
import { loadDemoRedemptions, type DemoRedemptionsRun } from './demo-redemptions';
import { loadDemoStock } from './demo-stock';

const BOOTSTRAP_LOCK = 'charity_bootstrap';

/**
 * First-start data: the demo county when the database is empty and DEMO_DATA is on (never in
 * production), and the first county admin (ADMIN_USERNAME / ADMIN_PASSWORD) whenever no user
 * exists. In production it first refuses to go on while an account has a published password.
 */
@Injectable()
export class BootstrapService {
  private readonly logger = new Logger(BootstrapService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly regions: RegionsService,
    private readonly stores: StoresService,
    private readonly categories: ProductCategoriesService,
    private readonly products: ProductsService,
    private readonly stock: StockService,
    private readonly donations: DonationsService,
    private readonly households: HouseholdsService,
    private readonly pointRules: PointRulesService,
    private readonly points: PointsService,
    private readonly ledger: PointsLedger,
    private readonly allotments: AllotmentsService,
    private readonly audit: AuditService,
    private readonly redemptions: RedemptionsService,
  ) {}

  async run(): Promise<void> {
    const lock = databaseLockName(this.dataSource, BOOTSTRAP_LOCK);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT GET_LOCK(?, 60)', [lock]);
      try {
        if (this.config.nodeEnv === 'production') await this.assertNoUnsafeAccounts();
        const empty =
          (await this.users.count()) === 0 &&
          (await this.dataSource.getRepository(Region).count()) === 0;
        if (this.config.demoData && empty) await this.loadDemoCounty();
        await this.ensureFirstAdmin();
      } finally {
        await runner.query('SELECT RELEASE_LOCK(?)', [lock]);
      }
    } finally {
      await runner.release();
    }
  }

  private async assertNoUnsafeAccounts(): Promise<void> {
    const unsafe = await findUnsafeAccounts(this.dataSource, this.config.admin.password);
    if (unsafe.length > 0) throw new UnsafeAccountsError(unsafe);
  }

  private async ensureFirstAdmin(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const { username, password } = this.config.admin;
    await this.users.create(SYSTEM_ACTOR, {
      username,
      password,
      passwordOrigin: 'bootstrap',
      displayName: '县总工会管理员',
      role: 'county_admin',
    });
    this.logger.log(
      `Created the first county admin "${username}" (ADMIN_PASSWORD); it sets its own password at first sign-in`,
    );
  }

  private async loadDemoCounty(): Promise<void> {
    const started = Date.now();
    const regionIds = new Map<string, number>();
    for (const region of DEMO_REGIONS) {
      const created = await this.regions.create(SYSTEM_ACTOR, {
        name: region.name,
        level: region.level,
        code: region.code ?? null,
        parentId: region.parent ? regionIds.get(region.parent) : null,
      });
      regionIds.set(region.key, created.id);
    }
    const storeIds = new Map<string, number>();
    for (const store of DEMO_STORES) {
      const created = await this.stores.create(SYSTEM_ACTOR, {
        code: store.code,
        name: store.name,
        regionId: regionIds.get(store.region) ?? 0,
        address: store.address,
        phone: store.phone,
      });
      storeIds.set(store.code, created.id);
    }
    await this.ensureFirstAdmin();
    const clerks = new Map<string, Actor>();
    const managers = new Map<number, Actor>();
    for (const user of DEMO_USERS) {
      const created = await this.users.create(SYSTEM_ACTOR, {
        username: user.username,
        displayName: user.displayName,
        password: DEMO_STAFF_PASSWORD,
        passwordOrigin: 'demo',
        role: user.role,
        storeId: user.store ? storeIds.get(user.store) : null,
      });
      if (user.role === 'clerk' && user.store) clerks.set(user.store, toActor(created));
      if (user.role === 'store_manager' && created.storeId !== null) {
        managers.set(created.storeId, toActor(created));
      }
    }
    const products = await loadDemoCatalogue(this.categories, this.products);
    const lots = await loadDemoStock(this.dataSource, this.stock, storeIds, products);
    const donations = await loadDemoDonations(this.donations, clerks, products);
    const { timeZone } = this.config;
    const households = await loadDemoHouseholds(
      this.dataSource,
      this.households,
      this.audit,
      regionIds,
      storeIds,
      timeZone,
    );
    const points = await loadDemoPoints(
      this.dataSource,
      {
        rules: this.pointRules,
        points: this.points,
        ledger: this.ledger,
        allotments: this.allotments,
      },
      households,
      managers,
      timeZone,
    );
    const till = await this.loadDemoTill(households, clerks, managers, products);
    this.logger.log(
      `Loaded the demo county: ${DEMO_REGIONS.length} regions, ${DEMO_STORES.length} stores, ` +
        `${DEMO_USERS.length + 1} staff accounts, ${products.size} products, ${lots} stock lots, ` +
        `${donations} donations, ${households.length} households, ${points.rules} point rules, ` +
        `${points.allotments} allotments, ${points.awards} awards and ${till} in ${Date.now() - started} ms`,
    );
  }

  /** This month's checkouts; the county is usable without them, so a failure only warns. */
  private async loadDemoTill(
    households: LoadedDemoHousehold[],
    clerks: Map<string, Actor>,
    managers: Map<number, Actor>,
    products: Map<string, CatalogueProduct>,
  ): Promise<string> {
    const started = Date.now();
    let run: DemoRedemptionsRun;
    try {
      run = await loadDemoRedemptions(
        this.dataSource,
        this.redemptions,
        households,
        { clerks, managers },
        products,
        this.config.timeZone,
      );
    } catch (error) {
      this.logger.warn(`Could not load the demo checkouts: ${String(error)}`);
      return 'no checkouts';
    }
    return (
      `${run.checkouts} checkouts (${run.deliveries} deliveries, ${run.delivered} delivered, ` +
      `${run.cancelled} cancelled, ${run.voided} voided, ${run.refused} refused; ` +
      `${Date.now() - started} ms)`
    );
  }
}
