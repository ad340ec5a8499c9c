// `npm run api:types`: builds the api's OpenAPI document from its modules, without a database or
// Redis (Nest's preview mode resolves the modules but creates no provider), writes it to
// docs/openapi.json and generates the web app's API types from it (apps/web/src/api/schema.d.ts).
// `npm run api:types:check` writes nothing and exits 1 when either committed file is stale.
import 'reflect-metadata';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import { ApiModule } from '../apps/api/src/api.module';
import { useApiPrefix } from '../apps/api/src/configure-app';
import { buildOpenApiDocument } from '../apps/api/src/http/openapi-document';

const ROOT = resolve(__dirname, '..');
const DOCUMENT_FILE = resolve(ROOT, 'docs/openapi.json');
const TYPES_FILE = resolve(ROOT, 'apps/web/src/api/schema.d.ts');

/** The two generated files' contents, formatted as Prettier would leave them. */
async function generateApiFiles(): Promise<{ document: string; types: string }> {
  const app = await NestFactory.create(ApiModule, { preview: true, logger: false });
  useApiPrefix(app);
  const openApi = buildOpenApiDocument(app);
  await app.close();
  const json = JSON.stringify(openApi);
  // a property with a default stays optional when the document says so: a request may omit it
  const ast = await openapiTS(JSON.parse(json) as OpenAPI3, { defaultNonNullable: false });
  const types = COMMENT_HEADER + astToString(ast);
  return {
    document: await prettier(DOCUMENT_FILE, json),
    types: await prettier(TYPES_FILE, types),
  };
}

async function prettier(file: string, text: string): Promise<string> {
  return format(text, { ...(await resolveConfig(file)), filepath: file });
}

async function main(check: boolean): Promise<number> {
  const generated = await generateApiFiles();
  const files = [
    { path: DOCUMENT_FILE, text: generated.document },
    { path: TYPES_FILE, text: generated.types },
  ];
  if (!check) {
    for (const file of files) await writeFile(file.path, file.text);
    console.log(`wrote ${files.map((file) => file.path.slice(ROOT.length + 1)).join(' and ')}`);
    return 0;
  }
  let stale = 0;
  for (const file of files) {
    const committed = await readFile(file.path, 'utf8').catch(() => '');
    if (committed !== file.text) {
      console.error(`${file.path.slice(ROOT.length + 1)} is out of date: run npm run api:types`);
      stale += 1;
    }
  }
  if (stale === 0) console.log('docs/openapi.json and apps/web/src/api/schema.d.ts are up to date');
  return stale === 0 ? 0 : 1;
}

main(process.argv.includes('--check')).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
