'use strict';
// Bundles src/page.jsx with esbuild into outdir/page.js (and page.css when
// a dependency imports CSS); used by tests/api/ui_kit.test.js.
const path = require('node:path');
const esbuild = require('esbuild');

async function build(outdir) {
  const result = await esbuild.build({
    entryPoints: { page: path.join(__dirname, 'src', 'page.jsx') },
    absWorkingDir: __dirname,
    outdir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome110',
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    loader: { '.eot': 'file', '.ttf': 'file', '.woff': 'file', '.woff2': 'file', '.svg': 'file', '.png': 'file', '.gif': 'file' },
    assetNames: '[name]-[hash]',
    minify: false,
    sourcemap: false,
    logLevel: 'silent',
    metafile: true,
  });
  return { warnings: result.warnings, files: Object.keys(result.metafile.outputs) };
}

module.exports = { build };

if (require.main === module) {
  const out = process.argv[2] || path.join(__dirname, 'dist');
  const t0 = Date.now();
  build(out).then((r) => {
    console.log(`built ${r.files.join(', ')} in ${Date.now() - t0} ms (${r.warnings.length} warnings)`);
  }, (err) => { console.error(err.message); process.exit(1); });
}
