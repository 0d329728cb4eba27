import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';

/**
 * Trusted documents (an allow-list of operations): when configured, the server runs only documents from the
 * manifest. Clients send the document itself, or just its id (`documentId`, or Apollo's
 * `extensions.persistedQuery.sha256Hash`) — the SHA-256 of the document text.
 */
export class TrustedDocuments {
  private byId = new Map<string, string>();

  /** Reads `{ "<sha256>": "<document>" }` or an Apollo persisted-query manifest (`{ operations: [{ id, body }] }`). */
  static load(file: string): TrustedDocuments {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const docs = new TrustedDocuments();
    const entries: [string, string][] = Array.isArray(raw.operations)
      ? (raw.operations as { id: string; body: string }[]).map((o) => [o.id, o.body])
      : Object.entries(raw).map(([id, body]) => [id, String(body)]);
    for (const [id, body] of entries) {
      if (sha256(body) !== id) throw new Error(`trusted documents: the id ${id} is not the SHA-256 of its document`);
      docs.byId.set(id, body);
    }
    return docs;
  }

  get size(): number {
    return this.byId.size;
  }

  /** The document to run for a request, or an error naming what is wrong. */
  resolve(query: unknown, documentId: unknown): { query: string } | { error: GraphQLError } {
    if (typeof query === 'string' && query.length > 0) {
      return this.byId.has(sha256(query)) ? { query } : { error: refused('This server runs trusted documents only; the document is not in its manifest') };
    }
    if (typeof documentId === 'string') {
      const id = documentId.replace(/^sha256:/, '');
      const body = this.byId.get(id);
      return body ? { query: body } : { error: refused(`No trusted document has the id ${id.slice(0, 80)}`) };
    }
    return { error: refused('This server runs trusted documents only: send a document from its manifest or its id') };
  }
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function refused(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'TRUSTED_DOCUMENT_REQUIRED' } });
}

/** The document id a request carries, in either of the accepted spellings. */
export function documentIdOf(body: { documentId?: unknown; extensions?: any } | undefined): unknown {
  return body?.documentId ?? body?.extensions?.persistedQuery?.sha256Hash;
}
