import type { RegionLevel } from '@charity/organisation';
import type { Role } from '@charity/common';

/**
 * A small, realistic county for a newcomer to log in to. Later issues add products, households
 * and donations to it. Every demo staff account uses DEMO_STAFF_PASSWORD, which accounts knows
 * as a published password (production refuses to start while an account has it).
 */
export { DEMO_STAFF_PASSWORD } from '@charity/accounts';

export interface DemoRegion {
  key: string;
  name: string;
  level: RegionLevel;
  parent?: string;
  code?: string;
}

export interface DemoStore {
  code: string;
  name: string;
  region: string;
  address: string;
  phone: string;
}

export interface DemoUser {
  username: string;
  displayName: string;
  role: Role;
  store?: string;
}

export const DEMO_REGIONS: DemoRegion[] = [
  { key: 'county', name: '青山县', level: 'county', code: '410523' },
  { key: 'chengguan', name: '城关镇', level: 'township', parent: 'county', code: '410523100' },
  { key: 'shimen', name: '石门乡', level: 'township', parent: 'county', code: '410523201' },
  { key: 'liuhe', name: '柳河镇', level: 'township', parent: 'county', code: '410523102' },
  { key: 'dongjie', name: '东街社区', level: 'village', parent: 'chengguan' },
  { key: 'xiguan', name: '西关村', level: 'village', parent: 'chengguan' },
  { key: 'shangzhuang', name: '上庄村', level: 'village', parent: 'shimen' },
  { key: 'nanling', name: '南岭村', level: 'village', parent: 'shimen' },
  { key: 'wangzhuang', name: '王庄村', level: 'village', parent: 'liuhe' },
  { key: 'hedong', name: '河东村', level: 'village', parent: 'liuhe' },
];

export const DEMO_STORES: DemoStore[] = [
  {
    code: 'QS01',
    name: '城关镇爱心超市（县中心仓）',
    region: 'chengguan',
    address: '青山县城关镇人民路18号',
    phone: '0372-5512018',
  },
  {
    code: 'QS02',
    name: '石门乡爱心超市',
    region: 'shimen',
    address: '青山县石门乡政府院内',
    phone: '0372-5630211',
  },
  {
    code: 'QS03',
    name: '柳河镇爱心超市',
    region: 'liuhe',
    address: '青山县柳河镇文化街6号',
    phone: '0372-5751306',
  },
  {
    code: 'QS04',
    name: '王庄村爱心超市',
    region: 'wangzhuang',
    address: '青山县柳河镇王庄村党群服务中心',
    phone: '0372-5758810',
  },
];

export const DEMO_USERS: DemoUser[] = [
  { username: 'auditor', displayName: '刘审计', role: 'auditor' },
  { username: 'qs01_manager', displayName: '张店长', role: 'store_manager', store: 'QS01' },
  { username: 'qs01_clerk', displayName: '李店员', role: 'clerk', store: 'QS01' },
  { username: 'qs02_manager', displayName: '王店长', role: 'store_manager', store: 'QS02' },
  { username: 'qs02_clerk', displayName: '赵店员', role: 'clerk', store: 'QS02' },
  { username: 'qs03_manager', displayName: '陈店长', role: 'store_manager', store: 'QS03' },
  { username: 'qs03_clerk', displayName: '杨店员', role: 'clerk', store: 'QS03' },
  { username: 'qs04_manager', displayName: '周店长', role: 'store_manager', store: 'QS04' },
  { username: 'qs04_clerk', displayName: '吴店员', role: 'clerk', store: 'QS04' },
];
