# @switchboard/__NAME__

A Switchboard plugin. Scaffolded by `npm run plugin:new __NAME__`; see `docs/plugins.md` in the
Switchboard repository for the contract, every hook with its budget, per-tenant settings, UI
contributions and publishing.

## Enable

```ts
// plugins.config.ts
import { __CAMEL__ } from '@switchboard/__NAME__';
export default defineConfig({ plugins: [__CAMEL__({ timeoutMs: 800 })] });
```

Then each tenant's admin turns it on in the console (Plugins) and fills in:

| Setting    | Meaning                     |
| ---------- | --------------------------- |
| `baseUrl`  | Base URL of your system     |
| `apiToken` | API token (secret, write-only, stored encrypted) |

## Test

```sh
npx vitest run plugins/__NAME__
```
