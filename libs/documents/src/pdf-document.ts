import PDFDocument from 'pdfkit';
import { cjkFont } from './cjk-font';

/** Name under which every document registers the embedded Chinese font. */
export const CJK_FONT = 'cjk';

/**
 * A pdfkit document whose current font is the Chinese font, so no text can fall back to
 * Helvetica (which has no CJK glyphs and would silently print nothing). Only the glyphs drawn are
 * embedded. Callers draw, then hand the document to `pdfToBuffer`.
 */
export function createPdfDocument(options: PDFKit.PDFDocumentOptions = {}): PDFKit.PDFDocument {
  const doc = new PDFDocument({ lang: 'zh-CN', ...options });
  doc.registerFont(CJK_FONT, cjkFont());
  doc.font(CJK_FONT);
  return doc;
}

/** Ends the document and collects the bytes pdfkit streams out. */
export function pdfToBuffer(doc: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.once('end', () => resolve(Buffer.concat(chunks)));
    doc.once('error', reject);
    doc.end();
  });
}

/** Draws one embedded image at a position and size, in points. */
export type ImageStamp = (x: number, y: number, options: PDFKit.Mixins.ImageOption) => void;

// pdfkit's runtime API; @types/pdfkit 0.17 does not declare openImage or image(openedImage).
interface OpenedImageApi {
  openImage(src: Buffer): object;
  image(src: object, x: number, y: number, options: PDFKit.Mixins.ImageOption): unknown;
}

/**
 * Embeds an image once so that drawing it many times (a label printed 200 times) adds one image
 * object to the PDF; pdfkit embeds a Buffer anew on every `doc.image` call.
 */
export function imageStamp(doc: PDFKit.PDFDocument, png: Buffer): ImageStamp {
  const api = doc as unknown as OpenedImageApi;
  const image = api.openImage(png);
  return (x, y, options) => {
    api.image(image, x, y, options);
  };
}
