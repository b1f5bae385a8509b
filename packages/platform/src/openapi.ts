import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { HttpApp } from './http.js';

/**
 * Serves the OpenAPI document built from the route schemas at /docs/json and Swagger UI
 * at /docs. Register it before the routes it should describe.
 */
export async function registerOpenApi(app: HttpApp, info: { title: string; description: string }) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { ...info, version: '1.0.0' },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
