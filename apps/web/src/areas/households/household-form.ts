// The household form's checks: every problem at once, each beside its field, from the form's own
// checks before sending and from the api's refusal after.
import { ApiError } from '@/api/client';
import type { RegionOption } from './lookups';
import type { StoreOption } from './model';

/** The fields a problem can sit beside. */
export const FORM_FIELDS = [
  'headName',
  'idNumber',
  'category',
  'memberCount',
  'regionId',
  'homeStoreId',
  'phone',
  'address',
  'status',
  'exitedOn',
  'statusReason',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];
export type FieldErrors = Partial<Record<FormField, string>>;

const FIELD_LABELS: Record<FormField, string> = {
  headName: '户主姓名',
  idNumber: '身份证号',
  category: '类别',
  memberCount: '家庭人口',
  regionId: '所在村',
  homeStoreId: '所属超市',
  phone: '联系电话',
  address: '家庭住址',
  status: '状态',
  exitedOn: '脱贫日期',
  statusReason: '状态说明',
};

export interface HouseholdFormValues {
  headName: string;
  idNumber: string;
  regionId: number | null;
  homeStoreId: number | null;
  phone: string;
}

/** The api's phone rule (PHONE_PATTERN in libs/common): a mobile, or a landline with its code. */
const PHONE_PATTERN = /^(?:1\d{10}|0\d{2,3}-?\d{7,8})$/;
/** GB 11643 check character over the first 17 digits (the api also checks the birth date). */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARACTERS = '10X98765432';

function idNumberProblem(value: string): string | null {
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return '身份证号应为18位，前17位是数字，最后一位是数字或X';
  const sum = ID_WEIGHTS.reduce((total, weight, i) => total + weight * Number(id[i]), 0);
  if (ID_CHECK_CHARACTERS[sum % 11] !== id[17]) return '身份证号校验位不正确，请核对是否输错';
  return null;
}

/** Every problem of the form, by field; empty when it can be sent. */
export function formProblems(form: HouseholdFormValues, editing: boolean): FieldErrors {
  const problems: FieldErrors = {};
  if (!form.headName.trim()) problems.headName = '请填写户主姓名';
  // editing, a blank ID number keeps the one on file
  const idProblem = form.idNumber.trim()
    ? idNumberProblem(form.idNumber)
    : editing
      ? null
      : '请填写身份证号';
  if (idProblem) problems.idNumber = idProblem;
  if (form.regionId === null) problems.regionId = '请选择所在村';
  if (form.homeStoreId === null) problems.homeStoreId = '请选择所属超市';
  if (form.phone.trim() && !PHONE_PATTERN.test(form.phone.trim())) {
    problems.phone = '电话应为 11 位手机号或带区号的座机';
  }
  return problems;
}

const isFormField = (field: unknown): field is FormField =>
  (FORM_FIELDS as readonly unknown[]).includes(field);

const hasChinese = (text: string): boolean => /[\u4e00-\u9fff]/.test(text);

/**
 * The api's refusal placed beside the fields it names: each field of a 400/422
 * (`details.fields`), a duplicate ID number, a region or store that is gone or out of the
 * store's area. Empty when the refusal names no field (it is then shown above the buttons).
 */
export function serverFieldErrors(error: unknown): FieldErrors {
  if (!(error instanceof ApiError)) return {};
  const found: FieldErrors = {};
  const fields = Array.isArray(error.details.fields) ? (error.details.fields as unknown[]) : [];
  for (const problem of fields) {
    const { field, messages } = (problem ?? {}) as { field?: unknown; messages?: unknown };
    if (!isFormField(field)) continue;
    const own = Array.isArray(messages) ? messages.find((m) => typeof m === 'string') : undefined;
    // the api's own words when they are for people; its validator's English otherwise
    found[field] =
      typeof own === 'string' && hasChinese(own) ? own : `${FIELD_LABELS[field]}格式不正确`;
  }
  if (error.code === 'DUPLICATE_HOUSEHOLD') found.idNumber = error.message;
  if (error.code === 'NOT_FOUND' && error.details.entity === 'region') {
    found.regionId = error.message;
  }
  if (error.code === 'NOT_FOUND' && error.details.entity === 'store') {
    found.homeStoreId = error.message;
  }
  if (error.code === 'FORBIDDEN' && 'regionId' in error.details) found.regionId = error.message;
  return found;
}

/**
 * The store serving `regionId`, when exactly one does: the village's own store, else its
 * township's (as the api's storeServesRegion places households; the demo's 王庄村 has its own).
 */
export function servingStore(
  regionId: number,
  regions: RegionOption[],
  stores: StoreOption[],
): StoreOption | null {
  const region = regions.find((r) => r.id === regionId);
  if (!region) return null;
  const own = stores.filter((store) => store.regionId === region.id);
  if (own.length > 0) return own.length === 1 ? (own[0] ?? null) : null;
  if (region.level !== 'village' || region.parentId === null) return null;
  const township = stores.filter((store) => store.regionId === region.parentId);
  return township.length === 1 ? (township[0] ?? null) : null;
}
