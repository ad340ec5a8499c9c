import type { Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent';

// the library's read-back helpers (pdftotext, zbarimg), kept out of its public index
export { pageCount, pdfText } from '../../libs/documents/src/pdf-read-back';

/** GET with the body collected as bytes (JSON error bodies still parsed), for PDF downloads. */
export function getBytes(http: TestAgent, url: string, auth: string) {
  return http
    .get(url)
    .set('Authorization', auth)
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const json = /json/.test(String(res.headers['content-type']));
        done(null, json ? JSON.parse(body.toString('utf8')) : body);
      });
    });
}

/** The PDF of a 200 answer. */
export function pdfOf(response: Response): Buffer {
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toMatch(/^application\/pdf/);
  const pdf = response.body as Buffer;
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  return pdf;
}
