/** "General documents" of an application: the referral PDF, the signed referral XML, ... */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export type DocumentKind = 'referral_pdf' | 'referral_xml' | (string & {});

export interface DocumentMeta {
  id: number;
  applicationId: number;
  kind: DocumentKind;
  filename: string;
  contentType: string;
  size: number;
  createdAt: string;
}

export interface StoredDocument extends DocumentMeta {
  content: Buffer;
}

export async function addDocument(
  db: Kysely<DB>,
  doc: {
    applicationId: number;
    kind: DocumentKind;
    filename: string;
    contentType: string;
    content: Uint8Array;
    createdAt: Date;
  },
): Promise<number> {
  const row = await db
    .insertInto('documents')
    .values({
      application_id: doc.applicationId,
      kind: doc.kind,
      filename: doc.filename,
      content_type: doc.contentType,
      content: Buffer.from(doc.content),
      created_at: doc.createdAt.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Documents of one application, oldest first, without their content. */
export async function listDocuments(db: Kysely<DB>, applicationId: number): Promise<DocumentMeta[]> {
  const rows = await db
    .selectFrom('documents')
    .select(['id', 'application_id', 'kind', 'filename', 'content_type', 'created_at'])
    .select((eb) => eb.fn<number>('length', ['content']).as('size'))
    .where('application_id', '=', applicationId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    applicationId: r.application_id,
    kind: r.kind,
    filename: r.filename,
    contentType: r.content_type,
    size: Number(r.size),
    createdAt: r.created_at,
  }));
}

/** One document with its content, only if it belongs to `applicationId` (callers check ownership of that). */
export async function getDocument(
  db: Kysely<DB>,
  applicationId: number,
  documentId: number,
): Promise<StoredDocument | null> {
  const r = await db
    .selectFrom('documents')
    .selectAll()
    .where('id', '=', documentId)
    .where('application_id', '=', applicationId)
    .executeTakeFirst();
  if (!r) return null;
  const content = Buffer.from(r.content);
  return {
    id: r.id,
    applicationId: r.application_id,
    kind: r.kind,
    filename: r.filename,
    contentType: r.content_type,
    size: content.length,
    createdAt: r.created_at,
    content,
  };
}
