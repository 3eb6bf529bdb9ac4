import { defineConfig } from 'astro/config';

// The customer tracking site: static pages served by the API process, mobile first, zh-CN.
export default defineConfig({
  output: 'static',
  outDir: './dist',
  build: { format: 'directory' },
  telemetry: false,
  // The page's one script (a few KB) goes inline in the HTML: no second round trip before the
  // orders can be asked for.
  vite: { build: { assetsInlineLimit: 16 * 1024 } },
});
