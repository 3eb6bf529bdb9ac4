import { defineConfig } from 'astro/config';

// The customer tracking site: static pages served by the API process, mobile first, zh-CN.
export default defineConfig({
  output: 'static',
  outDir: './dist',
  build: { format: 'directory' },
  telemetry: false,
});
