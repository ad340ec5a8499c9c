import type { EntityManager } from 'typeorm';
import { RenderedDocument } from './rendered-document.entity';

export interface StoredDocument {
  content: Buffer;
  contentType: string;
  version: string;
  renderedAt: Date;
}

/** Saves a rendered document, replacing an older rendering of the same document. */
export async function saveRenderedDocument(
  em: EntityManager,
  kind: string,
  refId: string | number,
  version: string,
  content: Buffer,
  contentType = 'application/pdf',
): Promise<void> {
  await em.query(
    `INSERT INTO rendered_documents (kind, ref_id, version, content_type, content, bytes, rendered_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON DUPLICATE KEY UPDATE version = VALUES(version), content_type = VALUES(content_type),
       content = VALUES(content), bytes = VALUES(bytes), rendered_at = VALUES(rendered_at)`,
    [kind, String(refId), version, contentType, content, content.length, new Date()],
  );
}

export async function findRenderedDocument(
  em: EntityManager,
  kind: string,
  refId: string | number,
): Promise<StoredDocument | null> {
  const row = await em.findOne(RenderedDocument, { where: { kind, refId: String(refId) } });
  return row
    ? {
        content: row.content,
        contentType: row.contentType,
        version: row.version,
        renderedAt: row.renderedAt,
      }
    : null;
}
