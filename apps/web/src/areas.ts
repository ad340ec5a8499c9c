// The app's areas, who may open each, and where they live. The home screen and the menu are
// built from this list, so a role sees only what it may do.
import type { Role } from '@/session';

export interface Area {
  path: string;
  title: string;
  description: string;
  /** What an auditor, who reads and exports but changes nothing, can do here. */
  auditorDescription?: string;
  roles: Role[];
}

export const AREAS: Area[] = [
  {
    path: '/till',
    title: '兑换收银台',
    description: '扫困难户卡和商品，用积分兑换',
    roles: ['clerk', 'store_manager'],
  },
  {
    path: '/intake',
    title: '捐赠登记',
    description: '登记捐赠物资和现金，打印捐赠收据',
    roles: ['clerk', 'store_manager', 'county_admin'],
  },
  {
    path: '/households',
    title: '困难户管理',
    description: '查询、登记、导入困难户，积分评定与明细',
    auditorDescription: '查阅困难户档案、积分明细和评定公示',
    roles: ['clerk', 'store_manager', 'county_admin', 'auditor'],
  },
  {
    path: '/stock',
    title: '库存',
    description: '库存批次、临期预警、调整、调拨和盘点',
    auditorDescription: '查阅库存批次、临期预警、出入库流水、调拨和盘点记录',
    roles: ['clerk', 'store_manager', 'county_admin', 'auditor'],
  },
  {
    path: '/reports',
    title: '统计报表',
    description: '月度捐赠与救助统计，导出 PDF 和 Excel',
    auditorDescription: '查阅月度捐赠与救助统计和结账情况，导出 PDF 和 Excel',
    roles: ['store_manager', 'county_admin', 'auditor'],
  },
  {
    path: '/admin',
    title: '系统管理',
    description: '用户、超市和区域、积分规则、发放计划、操作日志',
    auditorDescription: '查阅用户、超市和区域、积分规则、发放计划和操作日志',
    roles: ['county_admin', 'auditor'],
  },
];

export function areaOf(path: string): Area | undefined {
  return AREAS.find((area) => path === area.path || path.startsWith(`${area.path}/`));
}
