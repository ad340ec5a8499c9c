import { UsersService, type User } from '@charity/accounts';
import { SYSTEM_ACTOR, type Role } from '@charity/common';
import { DonorsService, type Donor, type NewDonor } from '@charity/donations';
import {
  HouseholdsService,
  PointRulesService,
  PointsLedger,
  withCheckCharacter,
  type Household,
  type NewHousehold,
  type NewPointRule,
  type PointRule,
} from '@charity/households';
import {
  ProductCategoriesService,
  ProductsService,
  StockService,
  type CatalogueProduct,
  type NewProduct,
  type ProductCategory,
  type StockLot,
} from '@charity/inventory';
import {
  RegionsService,
  StoresService,
  type Region,
  type RegionLevel,
  type Store,
} from '@charity/organisation';
import type { INestApplication } from '@nestjs/common';
import type TestAgent from 'supertest/lib/agent';
import { DataSource } from 'typeorm';

export const TEST_PASSWORD = 'Passw0rd!';

// Suites share a worker's database and each re-evaluates this module, so names start from a
// random base instead of 1 (store codes allow 9 digits after the letter).
let sequence = Math.floor(Math.random() * 900_000) * 1000;
const next = (): number => ++sequence;

export interface SignedIn {
  user: User;
  token: string;
  /** `Authorization` header value. */
  auth: string;
}

/** Small factories that build real rows through the domain services. */
export class Given {
  constructor(
    private readonly app: INestApplication,
    private readonly http: TestAgent,
  ) {}

  async region(level: RegionLevel = 'township', parentId?: number): Promise<Region> {
    const regions = this.app.get(RegionsService);
    let parent = parentId;
    if (level !== 'county' && parent === undefined) {
      parent = (await this.region(level === 'village' ? 'township' : 'county')).id;
    }
    return regions.create(SYSTEM_ACTOR, {
      name: `${level === 'county' ? '测试县' : level === 'township' ? '测试镇' : '测试村'}${next()}`,
      level,
      parentId: parent ?? null,
    });
  }

  async store(overrides: { regionId?: number; code?: string; name?: string } = {}): Promise<Store> {
    const n = next();
    return this.app.get(StoresService).create(SYSTEM_ACTOR, {
      code: overrides.code ?? `T${n}`,
      name: overrides.name ?? `测试爱心超市${n}`,
      regionId: overrides.regionId ?? (await this.region('township')).id,
    });
  }

  async user(role: Role, storeId?: number, username?: string): Promise<User> {
    const needsStore = role === 'store_manager' || role === 'clerk';
    return this.app.get(UsersService).create(SYSTEM_ACTOR, {
      username: username ?? `${role}_${next()}`,
      displayName: `测试${role}`,
      password: TEST_PASSWORD,
      // staff who have set their own password; tests of the first-login change make their own
      passwordOrigin: 'self',
      role,
      storeId: needsStore ? (storeId ?? (await this.store()).id) : null,
    });
  }

  async signIn(user: User, password = TEST_PASSWORD): Promise<SignedIn> {
    const response = await this.http
      .post('/api/v1/auth/login')
      .send({ username: user.username, password });
    if (response.status !== 200) {
      throw new Error(
        `login as ${user.username} failed: ${response.status} ${JSON.stringify(response.body)}`,
      );
    }
    const token = (response.body as { accessToken: string }).accessToken;
    return { user, token, auth: `Bearer ${token}` };
  }

  /** A signed-in user of the role; store roles get a new store unless one is given. */
  async signedIn(role: Role, storeId?: number): Promise<SignedIn> {
    return this.signIn(await this.user(role, storeId));
  }

  async category(name?: string, sortOrder?: number): Promise<ProductCategory> {
    return this.app
      .get(ProductCategoriesService)
      .create(SYSTEM_ACTOR, { name: name ?? `测试类别${next()}`, sortOrder });
  }

  /** A product in a new category unless one is named; no barcode unless one is given. */
  async product(overrides: Partial<NewProduct> = {}): Promise<CatalogueProduct> {
    const { category, categoryId, ...rest } = overrides;
    const categoryRef =
      category !== undefined || categoryId !== undefined
        ? { category, categoryId }
        : { categoryId: (await this.category()).id };
    return this.app.get(ProductsService).create(SYSTEM_ACTOR, {
      name: `测试商品${next()}`,
      unit: '袋',
      pointPrice: 10,
      unitValueFen: 1000,
      ...categoryRef,
      ...rest,
    });
  }

  /** Goods in a new lot at a store, as a donation would bring them in. */
  async lot(
    storeId: number,
    productId: number,
    quantity: number,
    expiryDate: string | null = null,
    unitValueFen = 2500,
  ): Promise<StockLot> {
    const stock = this.app.get(StockService);
    return this.app.get(DataSource).transaction((em) =>
      stock.receive(em, SYSTEM_ACTOR, {
        storeId,
        productId,
        quantity,
        unitValueFen,
        expiryDate,
        source: 'donation',
        kind: 'donation_in',
        ref: { type: 'donation', id: `D${next()}` },
      }),
    );
  }

  /** The county's local date `offsetDays` from today (`YYYY-MM-DD`). */
  date(offsetDays = 0): string {
    const today = this.app.get(StockService).today();
    return new Date(Date.parse(`${today}T00:00:00Z`) + offsetDays * 86_400_000)
      .toISOString()
      .slice(0, 10);
  }

  /** A donor; a company with a unique name unless told otherwise. */
  async donor(overrides: Partial<NewDonor> = {}): Promise<Donor> {
    return this.app.get(DonorsService).create(SYSTEM_ACTOR, {
      kind: 'company',
      name: `测试捐赠企业${next()}`,
      ...overrides,
    });
  }

  /** A valid, unique 18-digit ID number (born 1950-1999, so always in the past). */
  idNumber(): string {
    // distinct for 4.5 million consecutive numbers: sequence, then day, month and year
    const n = next();
    const sequence = String(n % 1000).padStart(3, '0');
    const day = 10 + (Math.floor(n / 1000) % 10);
    const month = 1 + (Math.floor(n / 10_000) % 9);
    const year = 1950 + (Math.floor(n / 90_000) % 50);
    return withCheckCharacter(`410423${year}0${month}${day}${sequence}`);
  }

  /**
   * A household in a new village and store unless told otherwise, with `points` granted by an
   * adjustment. The clear ID number comes back beside it for duplicate and search tests.
   */
  async household(
    overrides: Partial<NewHousehold> & { points?: number } = {},
  ): Promise<Household & { idNumber: string }> {
    const { points, ...fields } = overrides;
    const regionId = fields.regionId ?? (await this.region('village')).id;
    const homeStoreId = fields.homeStoreId ?? (await this.store()).id;
    const idNumber = fields.idNumber ?? this.idNumber();
    const households = this.app.get(HouseholdsService);
    const household = await households.create(SYSTEM_ACTOR, {
      headName: `测试户${next()}`,
      category: 'dibao',
      memberCount: 2,
      ...fields,
      idNumber,
      regionId,
      homeStoreId,
    });
    if (points) {
      const ledger = this.app.get(PointsLedger);
      await this.app.get(DataSource).transaction(async (em) => {
        const locked = await ledger.lockHousehold(em, household.id);
        await ledger.post(em, SYSTEM_ACTOR, locked, {
          kind: 'adjustment',
          points,
          storeId: homeStoreId,
          reason: '测试初始积分',
          sourceType: 'manual',
        });
      });
      household.balance += points;
    }
    return Object.assign(household, { idNumber });
  }

  /** A rule with a unique code; +5 without a cap unless told otherwise. */
  async pointRule(overrides: Partial<NewPointRule> = {}): Promise<PointRule> {
    const n = next();
    return this.app.get(PointRulesService).create(SYSTEM_ACTOR, {
      code: `R${n}`,
      name: `测试规则${n}`,
      points: 5,
      ...overrides,
    });
  }
}
