import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES, httpStatusFor } from './error-codes';

const DOC = join(__dirname, '..', '..', '..', 'docs', 'errors.md');

/** The `| \`CODE\` | status | when |` rows of docs/errors.md, in order. */
function documentedCodes(): { code: string; status: number }[] {
  return readFileSync(DOC, 'utf8')
    .split('\n')
    .map((line) => /^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\s*\|\s*\S/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map(([, code, status]) => ({ code: code ?? '', status: Number(status) }));
}

describe('docs/errors.md', () => {
  it('lists every error code once, in code order, with the status the api answers and a meaning', () => {
    expect(documentedCodes()).toEqual(
      ERROR_CODES.map((code) => ({ code, status: httpStatusFor(code) })),
    );
  });
});
