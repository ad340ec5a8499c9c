#!/usr/bin/env node
// The npm registry this project is built against serves only the linux-x64 builds of packages
// with per-platform optional binaries (msgpackr-extract via bull, unrs-resolver via jest). npm then
// writes no lock entry for the other platforms and `npm ci` refuses the lock as out of sync
// (npm/cli#9846). This adds the missing optional entries (version only; npm skips them as optional
// or foreign-platform packages). Run `npm run lock:fix` after every `npm install`.
const fs = require('node:fs');
const path = require('node:path');

const file = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const packages = lock.packages;

function resolves(fromPath, name) {
  let base = fromPath;
  for (;;) {
    if (packages[`${base ? `${base}/` : ''}node_modules/${name}`]) return true;
    if (!base) return false;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

const added = [];
for (const [fromPath, meta] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies ?? {})) {
    if (resolves(fromPath, name)) continue;
    packages[`node_modules/${name}`] = { version: range.replace(/^[\^~=]/, ''), optional: true };
    added.push(`${name}@${range}`);
  }
}
fs.writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added.length ? `added ${added.length} optional lock entries` : 'lock file complete');
