/** The parts of the OpenAPI document (as /api/docs-json serves it) the fuzz suite reads. */

export interface Schema {
  $ref?: string;
  allOf?: Schema[];
  type?: 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean';
  format?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  example?: unknown;
  default?: unknown;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

interface DocOperation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, DocOperation>>;
  components: { schemas: Record<string, Schema> };
}

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface QueryParameter {
  name: string;
  required: boolean;
  schema: Schema;
}

export interface Operation {
  method: Method;
  /** The document's template, `/api/v1/stores/{storeId}/stock`. */
  path: string;
  /** Every `{name}` of the template, documented or not (ids are read by a custom decorator). */
  pathParams: string[];
  query: QueryParameter[];
  /** `required` when the route refuses a write without one. */
  idempotencyKey: 'required' | 'optional' | 'none';
  body: { kind: 'json'; schema: Schema } | { kind: 'multipart'; schema: Schema } | undefined;
}

const METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete'];

/** DTOs do not nest deeper than this; a cycle of `$ref`s stops here too. */
const MAX_DEPTH = 6;

/**
 * A schema with every `$ref` and one-element `allOf` (how Nest writes a nested DTO) followed,
 * down through properties and array items.
 */
export function resolveSchema(doc: OpenApiDocument, schema: Schema, depth = 0): Schema {
  if (depth > MAX_DEPTH) return {};
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = doc.components.schemas[name];
    if (!target) throw new Error(`the document has no schema ${name}`);
    return resolveSchema(doc, target, depth);
  }
  if (schema.allOf?.length === 1) {
    const { allOf, ...rest } = schema;
    return { ...resolveSchema(doc, allOf[0], depth), ...rest };
  }
  return {
    ...schema,
    ...(schema.properties && {
      properties: Object.fromEntries(
        Object.entries(schema.properties).map(([key, value]) => [
          key,
          resolveSchema(doc, value, depth + 1),
        ]),
      ),
    }),
    ...(schema.items && { items: resolveSchema(doc, schema.items, depth + 1) }),
  };
}

export function operationsOf(doc: OpenApiDocument): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method): Operation => {
      const op = item[method];
      const parameters = op.parameters ?? [];
      const key = parameters.find(
        (p) => p.in === 'header' && p.name.toLowerCase() === 'idempotency-key',
      );
      const content = op.requestBody?.content ?? {};
      const json = content['application/json'];
      const multipart = content['multipart/form-data'];
      return {
        method,
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]),
        query: parameters
          .filter((p) => p.in === 'query')
          .map((p) => ({
            name: p.name,
            required: p.required === true,
            schema: resolveSchema(doc, p.schema ?? {}),
          })),
        idempotencyKey: key ? (key.required ? 'required' : 'optional') : 'none',
        body: json
          ? { kind: 'json', schema: resolveSchema(doc, json.schema) }
          : multipart
            ? { kind: 'multipart', schema: resolveSchema(doc, multipart.schema) }
            : undefined,
      };
    }),
  );
}

/** `GET /api/v1/stores/{id}` */
export function label(op: Pick<Operation, 'method' | 'path'>): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}
