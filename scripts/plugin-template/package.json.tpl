{
  "name": "@switchboard/__NAME__",
  "version": "0.1.0",
  "private": true,
  "description": "A Switchboard plugin",
  "license": "Apache-2.0",
  "type": "module",
  "exports": {
    ".": {
      "source": "./src/index.ts",
      "types": "./dist/index.d.ts",
      "default": "./dist/index.js"
    }
  },
  "peerDependencies": {
    "@switchboard/core": "__CORE_RANGE__"
  },
  "dependencies": {
    "zod": "^4.6.7"
  },
  "main": "./dist/index.js",
  "types": "./dist/index.d.ts"
}
