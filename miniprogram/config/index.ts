import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig, type UserConfigExport } from '@tarojs/cli';

/**
 * The server the app talks to, fixed at build time (`SB_SERVER=https://cc.example.com npm run
 * build -w miniprogram`). The weapp build needs an absolute https origin listed in the WeChat
 * admin's request and socket domains (README); the h5 build defaults to its own origin, since
 * the server serves it at `/m/`.
 */
/**
 * In the npm workspace some Taro packages are hoisted to the root (@tarojs/taro-h5, NutUI) while
 * others stay nested in miniprogram/node_modules (the Vue 3 framework plugin, @tarojs/taro,
 * @tarojs/router: their peers differ from the root's), where a module of the root never looks.
 * Every module looks there too; and the packages that keep state (the router's history, Taro's
 * API object) resolve to that one copy, never to a second one nested under taro-h5 — two copies
 * leave the h5 router's history undefined in one of them.
 */
const SINGLETONS = ['@tarojs/taro', '@tarojs/router', '@tarojs/runtime', '@tarojs/shared'];

interface Chain {
  resolve: {
    modules: { add(p: string): Chain['resolve']['modules'] };
    alias: { set(name: string, to: string): Chain['resolve']['alias'] };
  };
}

function resolveNested(chain: Chain): void {
  const nested = path.resolve(__dirname, '../node_modules');
  chain.resolve.modules.add('node_modules').add(nested);
  for (const name of SINGLETONS) {
    const here = path.join(nested, name);
    const root = path.resolve(__dirname, '../../node_modules', name);
    const dir = existsSync(here) ? here : root;
    if (existsSync(dir)) chain.resolve.alias.set(`${name}$`, dir);
  }
}

/**
 * Source shared with the web app (`shared/`: call cards, a number's location), imported as
 * `@shared/…` (tsconfig `paths` says the same for the type check). It lies outside `sourceRoot`,
 * where Taro's Babel rule does not look unless told (`compile.include`).
 */
const SHARED = path.resolve(__dirname, '../../shared');

const server = process.env.SB_SERVER ?? (process.env.TARO_ENV === 'h5' ? '' : 'http://localhost:3000');

export default defineConfig<'webpack5'>(() => {
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'switchboard-agent',
    date: '2026-12-04',
    // Our styles are drawn on a 750-wide design (28px text = 14 CSS px); NutUI's on 375.
    designWidth: (input?: { file?: string }) => (input?.file?.replace(/\\+/g, '/').includes('@nutui') ? 375 : 750),
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    // One output directory per platform: the weapp and h5 builds never overwrite each other.
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: { SB_SERVER: JSON.stringify(server) },
    alias: { '@shared': SHARED },
    framework: 'vue3',
    compiler: 'webpack5',
    cache: { enable: false },
    mini: {
      webpackChain: resolveNested,
      compile: { include: [SHARED] },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: '/m/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: { filename: 'js/[name].[contenthash:8].js', chunkFilename: 'js/[name].[contenthash:8].js' },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      webpackChain: resolveNested,
      compile: { include: [SHARED] },
    },
  };
  return config;
});
