#!/usr/bin/env node
// prebuildify has no cmake-js backend: it runs "node-gyp rebuild …" and then
// collects build/Release/*.node and *.so*. This stands in for node-gyp, ignores
// its arguments, and runs a cmake-js release build that copies OpenBLAS and its
// Fortran runtime beside the addon (found there through the $ORIGIN rpath).
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..', '..');
const cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [root] });
const result = spawnSync(process.execPath, [cmakeJs, 'rebuild', '--CDEFFRANK_BUNDLE_BLAS=ON'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
