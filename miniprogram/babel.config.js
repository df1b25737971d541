// Taro's Babel preset for Vue 3 with TypeScript, compiled by webpack 5 (see config/index.ts).
module.exports = {
  presets: [['taro', { framework: 'vue3', ts: true, compiler: 'webpack5' }]],
};
