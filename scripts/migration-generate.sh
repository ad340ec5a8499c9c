#!/usr/bin/env bash
# Generates a migration from the difference between the entities and the database, then rewrites
# libs/database/src/migrations/index.ts so the new class is listed (apps are bundled and cannot glob).
# Usage: npm run migration:generate -- AddStockLots   (run `npm run migration:run` first)
set -euo pipefail
cd "$(dirname "$0")/.."
name="${1:?usage: npm run migration:generate -- <Name>}"
dir=libs/database/src/migrations
npm run --silent typeorm -- migration:generate "$dir/$name" --pretty
bash scripts/migration-index.sh
npx --no-install prettier --write "$dir"/*.ts >/dev/null
npx --no-install eslint --fix "$dir" >/dev/null
