import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

// Node.js 20 reached end of life on 2026-04-30. The project brings Node.js 24 LTS as a
// devDependency (the `node` package), and npm puts node_modules/.bin first on every script's PATH,
// so the tests, the build and `npm start` run on it even where the machine only has Node.js 20.
describe('runtime', () => {
  const manifest = JSON.parse(
    readFileSync(resolve(__dirname, '../../../package.json'), 'utf8'),
  ) as { engines: { node: string }; devDependencies: Record<string, string> };

  it('runs on Node.js 24 LTS', () => {
    expect(Number(process.versions.node.split('.')[0])).toBe(24);
  });

  it('declares Node.js 24 in engines and brings it as a pinned devDependency', () => {
    expect(manifest.engines.node).toMatch(/^>=24/);
    expect(manifest.devDependencies.node).toMatch(/^24\.\d+\.\d+$/);
  });

  it('builds the Docker image on Node.js 24', () => {
    const dockerfile = readFileSync(resolve(__dirname, '../../../docker/Dockerfile'), 'utf8');
    expect(dockerfile).toContain('ARG NODE_IMAGE=node:24-bookworm-slim');
  });
});
