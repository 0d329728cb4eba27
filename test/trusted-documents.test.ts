import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, startTestApp, type TestApp } from './support/harness.js';
import { Role, staffToken } from './support/fixtures.js';
import { sha256 } from '../src/app/trusted-documents.js';

const ME = 'query Me { me { kind } }';
const FEED = 'subscription Feed { orderStatusChanged { eventId } }';
let t: TestApp;
let ops: string;

beforeAll(async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'trusted-')), 'manifest.json');
  // Apollo's persisted-query manifest format.
  writeFileSync(file, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [ME, FEED].map((body) => ({ id: sha256(body), body })) }));
  t = await startTestApp({ env: { TRUSTED_DOCUMENTS: file } });
  ops = (await staffToken(t, Role.OPERATIONS)).token;
});
afterAll(() => t?.stop());

describe('trusted documents only', () => {
  it('runs a document from the manifest, sent whole or by its id', async () => {
    expect((await t.post({ query: ME })).data).toEqual({ me: { kind: 'ANONYMOUS' } });
    expect((await t.post({ documentId: sha256(ME) })).data).toEqual({ me: { kind: 'ANONYMOUS' } });
    expect((await t.post({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(ME) } } })).data).toEqual({ me: { kind: 'ANONYMOUS' } });
  });

  it('refuses any other document before running it, over HTTP and WebSocket', async () => {
    const other = await t.post({ query: '{ me { kind roles } }' });
    expect(other.status).toBe(400);
    expect(other.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');
    const unknownId = await t.post({ documentId: sha256('nope') });
    expect(unknownId.errors?.[0]?.extensions?.code).toBe('TRUSTED_DOCUMENT_REQUIRED');

    const ok = collect(t.ws(ops), FEED);
    const refused = collect(t.ws(ops), 'subscription { orderStatusChanged { orderId } }');
    await refused.settled();
    expect(refused.errors.map((e) => e.extensions?.code)).toEqual(['TRUSTED_DOCUMENT_REQUIRED']);
    expect(ok.errors).toEqual([]);
    ok.dispose();
  });

  it('refuses to start with a manifest whose ids are not the hashes of their documents', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'trusted-bad-')), 'manifest.json');
    writeFileSync(file, JSON.stringify({ deadbeef: ME }));
    await expect(startTestApp({ env: { TRUSTED_DOCUMENTS: file } })).rejects.toThrow(/TRUSTED_DOCUMENTS.*not the SHA-256/);
  });
});
