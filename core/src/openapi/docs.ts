import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { OpenApiGeneratorV31, type OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type Router from '@koa/router';
import type { ResolvedConfig } from '../config/config.js';
import type { AppContext } from '../http/types.js';

const require = createRequire(import.meta.url);
const SWAGGER_DIR = dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS = new Map([
  ['swagger-ui.css', 'text/css'],
  ['swagger-ui-bundle.js', 'application/javascript'],
  ['swagger-ui-standalone-preset.js', 'application/javascript'],
  ['favicon-32x32.png', 'image/png'],
]);

/** The OpenAPI 3.1 document generated from the routes' zod schemas. */
export function buildOpenApiDocument(registry: OpenAPIRegistry, config: ResolvedConfig): object {
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An access token from /api/v1/auth/login, or an API key (sk_…)',
  });
  registry.registerComponent('securitySchemes', 'platformKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'The platform operator’s key (PLATFORM_API_KEY on the server); only /api/v1/platform/… accepts it',
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: '1',
      description:
        'Open-source cloud contact center. Errors are `{ "error": { "code", "message", "details"? } }` with stable codes.',
    },
    servers: [{ url: config.server.publicUrl ?? '/' }],
  });
}

// Swagger UI is served from the installed package, not a CDN: the docs work offline and no
// third-party script runs next to a signed-in admin's token. The package is pinned to 5.32.15:
// 5.33.0 through 5.35.0 stop rendering after about 130 operations (every later tag and operation is
// missing from the page, with no error), and this API has more; the browser test in
// core/test/system.test.ts catches a version that does that again.
const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Switchboard API</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>`;
const INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });`;

/** `/api/openapi.json` and the browsable `/api/docs`. */
export function registerDocsRoutes(router: Router, document: () => object): void {
  let cached: object | undefined;
  router.get('/api/openapi.json', (ctx: AppContext) => {
    ctx.state.routePath = '/api/openapi.json';
    cached ??= document();
    ctx.body = cached;
  });
  router.get('/api/docs', (ctx: AppContext) => {
    ctx.state.routePath = '/api/docs';
    ctx.type = 'html';
    // frame-ancestors 'none': the docs page can act on a signed-in user's behalf, so never framed.
    ctx.set(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    );
    ctx.body = PAGE;
  });
  router.get('/api/docs/init.js', (ctx: AppContext) => {
    ctx.type = 'application/javascript';
    ctx.body = INIT;
  });
  router.get('/api/docs/assets/:file', (ctx: AppContext) => {
    const file = ctx.params.file ?? '';
    const type = ASSETS.get(file);
    if (!type) return; // falls through to 404
    ctx.state.routePath = '/api/docs/assets/:file';
    ctx.type = type;
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = createReadStream(join(SWAGGER_DIR, file));
  });
}
