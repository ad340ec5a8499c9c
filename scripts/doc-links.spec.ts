import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { anchorsOf, brokenLinks, headingAnchor } from './doc-links';

const ROOT = resolve(__dirname, '..');

describe('links in the README and docs/', () => {
  it('every relative link points at a file that exists, and at a heading it has', () => {
    const docs = readdirSync(join(ROOT, 'docs'))
      .filter((name) => name.endsWith('.md'))
      .map((name) => join(ROOT, 'docs', name));

    expect(docs.length).toBeGreaterThan(0);
    expect(brokenLinks([join(ROOT, 'README.md'), ...docs])).toEqual([]);
  });
});

describe('the link check', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'doc-links-'));
    mkdirSync(join(dir, 'docs'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names a link to a missing file and one to a missing heading', () => {
    writeFileSync(join(dir, 'docs', 'rules.md'), '# Rules\n\n## Rate limits\n');
    writeFileSync(
      join(dir, 'README.md'),
      [
        '# Readme',
        '[rules](docs/rules.md#rate-limits) [gone](docs/gone.md) [typo](docs/rules.md#rate-limit)',
        '[here](#readme) [nowhere](#nowhere) [site](https://example.org/x.md)',
        '`[in code](missing.md)`',
        '```',
        '[in a fence](missing.md)',
        '```',
      ].join('\n'),
    );

    expect(brokenLinks([join(dir, 'README.md')])).toEqual([
      `${join(dir, 'README.md')}: docs/gone.md — no such file`,
      `${join(dir, 'README.md')}: docs/rules.md#rate-limit — no such heading`,
      `${join(dir, 'README.md')}: #nowhere — no such heading`,
    ]);
  });

  it('gives headings the anchors GitHub gives them', () => {
    expect(headingAnchor('Outages — a database or Redis that fails')).toBe(
      'outages--a-database-or-redis-that-fails',
    );
    expect(headingAnchor('What `npm start` does')).toBe('what-npm-start-does');
    expect(headingAnchor('部署与扩展 — Deployment beyond one machine')).toBe(
      '部署与扩展--deployment-beyond-one-machine',
    );
    expect([...anchorsOf('## Stock\n\n```\n# not a heading\n```\n\n## Stock\n')]).toEqual([
      'stock',
      'stock-1',
    ]);
  });
});
