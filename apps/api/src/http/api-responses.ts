import type { Page } from '@charity/common';
import { applyDecorators, type Type } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiProperty } from '@nestjs/swagger';

const pages = new Map<Type, Type>();
const lists = new Map<Type, Type>();

/**
 * The response class of a page of `item` (`?page=1&pageSize=50` lists), named `<Item>Page` in the
 * OpenAPI document: `@ApiOkResponse({ type: PageOf(StoreView) })`.
 */
export function PageOf<T>(item: Type<T>): Type<Page<T>> {
  return cached(pages, item, `${item.name}Page`, (prototype) => {
    ApiProperty({ type: [item] })(prototype, 'items');
    ApiProperty({ type: Number, description: 'all matching rows, not only this page' })(
      prototype,
      'total',
    );
    ApiProperty({ type: Number })(prototype, 'page');
    ApiProperty({ type: Number })(prototype, 'pageSize');
  });
}

/** The response class of a short, unpaged list `{ items: [...] }`, named `<Item>List`. */
export function ListOf<T>(item: Type<T>): Type<{ items: T[] }> {
  return cached(lists, item, `${item.name}List`, (prototype) => {
    ApiProperty({ type: [item] })(prototype, 'items');
  });
}

function cached<T>(
  classes: Map<Type, Type>,
  item: Type,
  name: string,
  describe: (prototype: object) => void,
): Type<T> {
  const known = classes.get(item);
  if (known) return known as Type<T>;
  // a named class: the document's schema takes the class's name
  const created = { [name]: class {} }[name] as Type<T>;
  describe(created.prototype as object);
  classes.set(item, created);
  return created;
}

/** A PDF the browser opens or prints. */
export const ApiPdfResponse = (): MethodDecorator =>
  applyDecorators(
    ApiProduces('application/pdf'),
    ApiOkResponse({ schema: { type: 'string', format: 'binary' }, description: 'a PDF' }),
  );
