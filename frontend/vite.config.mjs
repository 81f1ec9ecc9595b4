import { defineConfig } from 'vite';
import { extensions, classicEmberSupport, ember } from '@embroider/vite';
import { babel } from '@rollup/plugin-babel';

// Django serves dist/index.html for every app URL and the files under
// /assets/. In a production build everything the page loads is bundled into
// hashed files under /assets/ (index.html imports vendor.js as a module and
// app.js imports the stylesheet), so Embroider's unreferenced copies under
// dist/@embroider/virtual/ are dropped. Test builds (--mode development) keep
// them: tests/index.html loads them.
function dropUnreferencedEmbroiderAssets() {
  let isProduction = false;
  return {
    name: 'authsite-drop-unreferenced-embroider-assets',
    enforce: 'post',
    configResolved(config) {
      isProduction = config.command === 'build' && config.mode === 'production';
    },
    generateBundle(_options, bundle) {
      if (!isProduction) {
        return;
      }
      for (const fileName of Object.keys(bundle)) {
        if (fileName.startsWith('@embroider/virtual/')) {
          delete bundle[fileName];
        }
      }
    },
  };
}

export default defineConfig({
  plugins: [
    classicEmberSupport(),
    ember(),
    babel({
      babelHelpers: 'runtime',
      extensions,
    }),
    dropUnreferencedEmbroiderAssets(),
  ],
  build: {
    // Ember + WarpDrive + ember-simple-auth is one ~190 KB (gzipped) chunk by
    // design; the budget is checked in the README, not by this warning.
    chunkSizeWarningLimit: 1024,
  },
});
