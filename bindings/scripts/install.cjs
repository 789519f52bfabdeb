#!/usr/bin/env node
// npm install hook: use the shipped prebuild (or an existing local build) if it
// loads; otherwise build from source with cmake-js. node-gyp-build's own
// fallback would run node-gyp, which cannot build this CMake project.
'use strict';
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..', '..');

function loads() {
  try {
    require('node-gyp-build')(root);
    return true;
  } catch {
    return false;
  }
}

if (process.env.EFFRANK_FORCE_BUILD !== '1' && loads()) process.exit(0);

const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const result = spawnSync(process.execPath, [cmakeJs, 'compile'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) {
  console.error(
    '\neffrank: building the native addon failed. It needs cmake, a C++17 compiler, OpenBLAS and LAPACKE;\n' +
      'on Debian/Ubuntu: apt-get install -y cmake g++ libopenblas-dev liblapacke-dev\n',
  );
  process.exit(result.status ?? 1);
}
