// Finds relative links in Markdown files that point at a missing file or heading, so moving a
// document or renaming a heading cannot quietly break the README's or docs/'s links.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';

const LINK = /\[[^\]]*\]\(([^)\s]+)\)/g;
const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i; // http:, https:, mailto: …

/** The anchor GitHub gives a heading: lower case, punctuation dropped, each space a hyphen. */
export function headingAnchor(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The text outside fenced code blocks, line by line, with inline code removed. */
function proseLines(markdown: string): string[] {
  const lines: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      continue;
    }
    if (!fenced) lines.push(line.replace(/`[^`]*`/g, ''));
  }
  return lines;
}

/** Every anchor a Markdown file's headings give, the second of two equal ones suffixed `-1`. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = headingAnchor(heading[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

/** `file: target — problem` for each relative link in the files that leads nowhere. */
export function brokenLinks(files: string[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const markdown = readFileSync(file, 'utf8');
    for (const line of proseLines(markdown)) {
      for (const [, target] of line.matchAll(LINK)) {
        if (EXTERNAL.test(target)) continue;
        const problem = problemOf(file, markdown, target);
        if (problem) problems.push(`${file}: ${target} — ${problem}`);
      }
    }
  }
  return problems;
}

function problemOf(file: string, markdown: string, target: string): string | null {
  const [path, anchor] = target.split('#', 2) as [string, string | undefined];
  const linked = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
  if (!existsSync(linked)) return 'no such file';
  if (anchor === undefined || extname(linked) !== '.md') return null;
  const text = path === '' ? markdown : readFileSync(linked, 'utf8');
  return anchorsOf(text).has(decodeURIComponent(anchor)) ? null : 'no such heading';
}
