// Chinese labels of the api's codes that screens of several areas show. The codes' types come
// from the OpenAPI document, so a category the api adds is a type error here until it has a label.
import type { HouseholdCategory } from '@/api/types';

export const CATEGORY_LABELS: Record<HouseholdCategory, string> = {
  wubao: '五保',
  dibao: '低保',
  tekun: '特困',
  other: '建档立卡',
};

export const CATEGORIES = Object.keys(CATEGORY_LABELS) as HouseholdCategory[];
