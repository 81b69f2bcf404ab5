/**
 * Renderer build: root renderer/, output renderer/dist, relative base so Electron can load it
 * from file:// and browser mode from any path. The built page carries a strict CSP (no inline
 * script, no eval, nothing remote); the dev server goes without, for React's refresh preamble.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { writeBuildInfo } from '../scripts/build-info.mjs';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'joldama-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP }, injectTo: 'head-prepend' },
    ],
  };
}

/** dist/build-info.json: the files the build read, so `npm start` rebuilds when one changed (bin/start.js). */
function buildInfo(): Plugin {
  let startedAt = 0;
  return {
    name: 'joldama-build-info',
    apply: 'build',
    buildStart() {
      startedAt = Date.now();
    },
    writeBundle(options) {
      const files = [...this.getModuleIds()]
        .filter((id) => !id.startsWith('\0'))
        .map((id) => id.replace(/\?.*$/, ''));
      writeBuildInfo(options.dir!, startedAt, [...files, fileURLToPath(import.meta.url)]);
    },
  };
}

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  plugins: [react(), contentSecurityPolicy(), buildInfo()],
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // Every asset as a file: a data: URL would need a looser CSP.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
});
