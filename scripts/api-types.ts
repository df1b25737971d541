/**
 * The admin UI's API types, generated from the server's own OpenAPI document.
 *
 *   npm run api:types           regenerate admin-ui/src/api/schema.gen.ts
 *   npm run api:types -- --check   fail when the committed file differs (CI, and a test)
 *
 * The document comes from a real app booted in-process on a throwaway in-memory database, so
 * it always holds every route core registers; nothing keeps a second list of routes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import { pino } from 'pino';

/** Where the generated types live (committed). */
export const API_TYPES_FILE = resolve(import.meta.dirname, '../admin-ui/src/api/schema.gen.ts');

const HEADER = `/**
 * GENERATED from the server's OpenAPI document by \`npm run api:types\` — do not edit.
 * A test (admin-ui/test/api-types.test.ts) fails when it no longer matches the server.
 */
`;

/** Renders the TypeScript types of an OpenAPI document, formatted as the repository is. */
export async function renderApiTypes(document: object): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], {
    // Optional fields stay optional, nullable ones nullable: exactly what zod emits.
    alphabetize: false,
    exportType: false,
  });
  const options = (await resolveConfig(API_TYPES_FILE)) ?? {};
  return format(HEADER + astToString(ast), { ...options, parser: 'typescript' });
}

/** Boots the app on an in-memory database and reads `/api/openapi.json`. */
export async function serverOpenApiDocument(): Promise<object> {
  const { createApp } = await import('../core/src/app.js');
  const pglite = await PGlite.create();
  const app = await createApp(
    { server: { port: 0, host: '127.0.0.1' } },
    { pglite, env: { SEED_DEMO: '0' }, logger: pino({ level: 'silent' }) },
  );
  try {
    const url = await app.listen();
    const res = await fetch(`${url}/api/openapi.json`);
    if (!res.ok) throw new Error(`/api/openapi.json answered ${res.status}`);
    return (await res.json()) as object;
  } finally {
    await app.stop();
    await pglite.close();
  }
}

async function main(): Promise<void> {
  const check = process.argv.includes('--check');
  const text = await renderApiTypes(await serverOpenApiDocument());
  if (check) {
    const committed = await readFile(API_TYPES_FILE, 'utf8').catch(() => '');
    if (committed !== text) {
      console.error(`${API_TYPES_FILE} is out of date: run "npm run api:types" and commit it.`);
      process.exit(1);
    }
    console.log('API types are up to date.');
    return;
  }
  await writeFile(API_TYPES_FILE, text);
  console.log(`wrote ${API_TYPES_FILE}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
