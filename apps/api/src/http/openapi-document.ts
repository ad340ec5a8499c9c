import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

/**
 * The OpenAPI document: served at /api/docs-json, written to docs/openapi.json by
 * `npm run api:types`, and the source of the web app's generated API types.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('爱心超市 API')
      .setDescription('Points and inventory for county trade-union charity supermarkets')
      .setVersion('1')
      // paths carry their full prefix (/api/v1, /health), so the server is this installation's root
      .addServer('/', 'this installation')
      .addBearerAuth()
      .build(),
  );
}
