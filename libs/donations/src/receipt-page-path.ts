/**
 * The public page a donation receipt's QR code opens (`/p/r/<receiptNo>?code=<hmac>`, served by
 * the api's public-pages module, outside `/api/v1`). Printed receipts are paper: once a shape is
 * printed it has to keep working.
 */
export function receiptPagePath(receiptNo: string, code: string): string {
  return `/p/r/${encodeURIComponent(receiptNo)}?code=${encodeURIComponent(code)}`;
}
