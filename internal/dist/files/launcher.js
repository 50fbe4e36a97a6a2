#!/usr/bin/env node
'use strict';
// The asksim command of the npm package "asksim". asksim is a Go binary: npm
// installs the one for this machine from the optional dependency named after
// process.platform and process.arch (as esbuild does), and this launcher runs
// it with the same arguments, standard streams, exit status and signals.
const childProcess = require('child_process');
const fs = require('fs');

const VERSION = {{json .Version}};
const PACKAGES = {{json .Packages}};

function fail(msg) {
  process.stderr.write('asksim: ' + msg + '\n');
  process.exit(1);
}

function binaryPath() {
  // An escape hatch for platforms asksim has no package for: a binary built
  // with go install, for instance.
  if (process.env.ASKSIM_BINARY_PATH) {
    return process.env.ASKSIM_BINARY_PATH;
  }
  const key = process.platform + '-' + process.arch;
  const pkg = PACKAGES[key];
  if (!pkg) {
    fail('asksim ' + VERSION + ' has no binary for ' + key + ' (it has ' + Object.keys(PACKAGES).join(', ') +
      '). Build one with "go install github.com/asksim/asksim/cmd/asksim@v' + VERSION +
      '" and set ASKSIM_BINARY_PATH to it.');
  }
  const exe = process.platform === 'win32' ? 'asksim.exe' : 'asksim';
  let bin, manifest;
  try {
    bin = require.resolve(pkg + '/bin/' + exe);
    manifest = require(pkg + '/package.json');
  } catch (e) {
    fail('the package ' + pkg + ', which holds the asksim binary for ' + key + ', is not installed. ' +
      'npm skips it when optional dependencies are omitted (--omit=optional, --no-optional) or when it was ' +
      'installed on another platform. Install it next to asksim: npm install ' + pkg + '@' + VERSION +
      ' (or the file ' + pkg + '-' + VERSION + '.tgz from the release).');
  }
  if (manifest.version !== VERSION) {
    fail('asksim ' + VERSION + ' found ' + pkg + ' ' + manifest.version + ' at ' + bin +
      '; install the same version of both: npm install ' + pkg + '@' + VERSION);
  }
  return bin;
}

function main() {
  const bin = binaryPath();
  if (process.platform !== 'win32') {
    try {
      fs.accessSync(bin, fs.constants.X_OK);
    } catch (e) {
      // Some package managers drop the executable bit that the tarball has.
      try { fs.chmodSync(bin, 0o755); } catch (e2) { /* spawn reports it */ }
    }
  }
  // Pass the signals that stop a long-running asksim (asksim fakes) on to it,
  // and exit as it does. The handlers go in before the binary starts, so
  // that no signal finds the launcher without them.
  let child;
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const forward = {};
  for (const sig of signals) {
    forward[sig] = () => { if (child) child.kill(sig); };
    process.on(sig, forward[sig]);
  }
  child = childProcess.spawn(bin, process.argv.slice(2), { stdio: 'inherit', windowsHide: true });
  child.on('error', (err) => fail('cannot run ' + bin + ': ' + err.message));
  child.on('exit', (code, signal) => {
    if (signal) {
      for (const sig of signals) process.removeListener(sig, forward[sig]);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code === null ? 1 : code);
  });
}

main();
