import { SYSTEM_ACTOR } from '@charity/common';
import {
  classifyBarcode,
  isValidEan13,
  type CatalogueProduct,
  type NewProduct,
  type NewProductCategory,
  type ProductCategoriesService,
  type ProductsService,
} from '@charity/inventory';
import { DEMO_CATEGORIES, DEMO_PRODUCTS, loadDemoCatalogue } from './demo-products';

describe('demo catalogue', () => {
  it('has about sixty products with unique names in the declared categories', () => {
    expect(DEMO_PRODUCTS.length).toBeGreaterThanOrEqual(55);
    const names = DEMO_PRODUCTS.map((product) => product.name);
    expect(new Set(names).size).toBe(names.length);
    const categories = new Set(DEMO_CATEGORIES.map((category) => category.name));
    for (const category of categories) {
      expect(DEMO_PRODUCTS.some((product) => product.category === category)).toBe(true);
    }
    expect(DEMO_PRODUCTS.filter((product) => !categories.has(product.category))).toEqual([]);
  });

  it('gives most products a valid, unique, Chinese EAN-13 and leaves the rest to internal codes', () => {
    const barcodes = DEMO_PRODUCTS.flatMap((product) => product.barcode ?? []);
    expect(barcodes.length).toBeGreaterThan(DEMO_PRODUCTS.length * 0.75);
    expect(new Set(barcodes).size).toBe(barcodes.length);
    for (const barcode of barcodes) {
      expect(isValidEan13(barcode)).toBe(true);
      expect(classifyBarcode(barcode)).toBe('ean13');
      expect(barcode).toMatch(/^(69[0-5]|978)/);
    }
  });

  it('prices one point per yuan, in whole points and fen, with sensible limits', () => {
    for (const product of DEMO_PRODUCTS) {
      expect(Number.isInteger(product.pointPrice)).toBe(true);
      expect(Number.isInteger(product.unitValueFen)).toBe(true);
      expect(product.pointPrice).toBe(Math.round(product.unitValueFen / 100));
      expect(product.name.length).toBeLessThanOrEqual(80);
      expect(product.unit.length).toBeLessThanOrEqual(10);
      if (product.monthlyLimitPerHousehold != null) {
        expect(product.monthlyLimitPerHousehold).toBeGreaterThanOrEqual(1);
      }
    }
    const limit = (name: string) =>
      DEMO_PRODUCTS.find((product) => product.name === name)?.monthlyLimitPerHousehold;
    expect(limit('东北大米 5kg')).toBe(2);
    expect(limit('玉米油 5L')).toBe(1);
  });

  it('loads the categories first, then every product by category name', async () => {
    const calls: string[] = [];
    const categories = {
      create: (_actor: unknown, input: NewProductCategory) => {
        calls.push(`category:${input.name}`);
        return Promise.resolve(input);
      },
    } as unknown as ProductCategoriesService;
    let id = 0;
    const createProduct = jest.fn((_actor: unknown, input: NewProduct) => {
      calls.push(`product:${input.name}`);
      return Promise.resolve({ ...input, id: ++id } as unknown as CatalogueProduct);
    });
    const products = { create: createProduct } as unknown as ProductsService;

    const loaded = await loadDemoCatalogue(categories, products);

    expect(calls.slice(0, DEMO_CATEGORIES.length)).toEqual(
      DEMO_CATEGORIES.map((category) => `category:${category.name}`),
    );
    expect(loaded.size).toBe(DEMO_PRODUCTS.length);
    expect(loaded.get('东北大米 5kg')).toMatchObject({ id: 1, category: '粮油' });
    expect(createProduct).toHaveBeenCalledWith(SYSTEM_ACTOR, DEMO_PRODUCTS[0]);
  });
});
