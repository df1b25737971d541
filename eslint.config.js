import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'data/**',
      'core/drizzle/**',
      'coverage/**',
      'admin-ui/src/api/schema.gen.ts',
      'admin-ui/e2e/artifacts/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // A promise nobody awaits and nobody catches is how a call path used to crash the process
    // (issue 9): the type-aware rules keep every background step owned (docs/adr/0010).
    files: ['core/src/**/*.ts', 'jambonz-apps/src/**/*.ts', 'plugins/*/src/**/*.ts', 'demo-crm/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
    },
  },
  {
    files: [
      '**/*.test.ts',
      'core/test/**',
      'bench/**',
      'scripts/**',
      'core/src/main.ts',
      'admin-ui/e2e/**',
      'miniprogram/scripts/**',
    ],
    rules: { 'no-console': 'off' },
  },
  // The web app (Vue 3 single-file components in TypeScript), running in the browser.
  // The agent mini-program (Taro + Vue 3) too: its `<view>`/`<text>` are Taro's components.
  ...pluginVue.configs['flat/recommended'].map((c) => ({
    ...c,
    files: ['admin-ui/src/**/*.{ts,vue}', 'miniprogram/src/**/*.{ts,vue}'],
  })),
  {
    files: ['admin-ui/src/**/*.{ts,vue}', 'miniprogram/src/**/*.{ts,vue}'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'], sourceType: 'module' },
    },
    rules: {
      // Prettier owns layout; these stylistic rules would fight it.
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      // Files are kebab-case (`login-view.vue`), as everywhere in the repository.
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['miniprogram/src/**/*.{ts,vue}'],
    languageOptions: { globals: { defineAppConfig: 'readonly', definePageConfig: 'readonly' } },
  },
  {
    // Taro reads its Babel config as CommonJS.
    files: ['miniprogram/babel.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
  },
  // Browser code outside the Vue app: the SDK and the demo CRM's page script.
  {
    files: ['sdk/src/**/*.ts', 'demo-crm/public/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
