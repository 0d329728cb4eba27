import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { deliver, logistics, processingOrder, ship } from './support/delivery-fixtures.js';
import { SubmitReviewDocument } from './generated/graphql.js';
import { entities } from '../src/app/entities.js';
import { rowMapper, rowsWhereIn } from '../src/common/rows.js';

// The read path answers from plain rows (src/common/rows.ts) instead of ORM entities. Every mapped column must come
// out exactly as the ORM would hydrate it — same value, same JS type, relations as `{ id }` — or the API would
// answer differently depending on which path loaded a row.
let t: TestApp;
let reviewedProductId: string;

beforeAll(async () => {
  t = await startTestApp();
  const ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  const buyer = await customer(t, 'Row Buyer');
  const p = await product(t, ops, [{ priceAmount: 1200 }, { priceAmount: 1500 }]);
  reviewedProductId = p.productId;
  const l = await logistics(t, ops, p.variantIds);
  const order = await processingOrder(t, ops, buyer.token, l, [{ variantId: p.variantIds[0]!, quantity: 2 }]);
  const shipment = await ship(t, ops, l, order.id);
  await deliver(t, ops, l, shipment.trackingNumber, new Date(Date.now() + 3600_000).toISOString());
  const review = await t.gql(SubmitReviewDocument, { input: { orderLineId: order.lineIds[0]!, rating: 4, title: 'Good', body: 'Does the job.' } }, buyer.token);
  if (review.data?.submitReview.__typename !== 'Review') throw new Error(JSON.stringify(review));
});
afterAll(() => t?.stop());

describe('plain read rows', () => {
  it('map every entity the same way the ORM hydrates it', async () => {
    // The relay stamps outbox rows after commit; let it finish so both reads see the same rows.
    await t.drainEvents();
    const orm = t.app.services.orm;
    const compared = new Set<string>();
    for (const entity of entities as any[]) {
      const em = orm.em.fork();
      const meta = em.getMetadata().get(entity);
      expect(rowMapper(em, entity), `${meta.className} has a row mapper`).toBeDefined();
      if (meta.primaryKeys[0] !== 'id') continue;
      const managed: any[] = await em.find(entity, {}, { orderBy: { id: 'ASC' }, limit: 20 });
      if (!managed.length) continue;
      const plain: any[] = await rowsWhereIn(orm.em.fork(), entity, 'id', managed.map((m) => m.id), { id: 'ASC' });
      expect(plain.map((r) => r.id)).toEqual(managed.map((m) => m.id));
      for (let i = 0; i < managed.length; i++) {
        expect(Object.getPrototypeOf(plain[i])).toBe(entity.prototype);
        for (const prop of meta.props) {
          if (prop.persist === false || prop.lazy || prop.kind === '1:m' || prop.kind === 'm:n' || (prop.kind === '1:1' && !prop.owner)) continue;
          const want = prop.kind === 'scalar' ? managed[i][prop.name] : (managed[i][prop.name]?.id ?? null);
          const got = prop.kind === 'scalar' ? plain[i][prop.name] : (plain[i][prop.name]?.id ?? null);
          expect(got ?? null, `${meta.className}.${prop.name}`).toEqual(want ?? null);
          if (want != null) expect(typeof got, `${meta.className}.${prop.name} type`).toBe(typeof want);
          if (want instanceof Date) expect(got, `${meta.className}.${prop.name} is a Date`).toBeInstanceOf(Date);
        }
      }
      compared.add(meta.className);
    }
    // The entities the P1 reads go through were all exercised above.
    for (const name of ['Order', 'OrderLine', 'Customer', 'Product', 'ProductVariant', 'Shipment', 'Review']) expect(compared).toContain(name);
  });

  it('keep the nested order list at a constant number of statements, the page and its count in one', async () => {
    const ops = (await staffToken(t, Role.OPERATIONS)).token;
    const count = (first: number, total = 'totalCount') =>
      t.countQueries(() =>
        t.post({ query: `{ orders(first: ${first}) { ${total} nodes { id customer { name } lines { quantity variant { sku product { name } } } shipments { status } } } }` }, ops),
      );
    // page+count, customers, lines, variants, shipments, products
    expect(await count(1)).toBe(6);
    expect(await count(50)).toBe(6);
    // Without totalCount nothing is counted; with it (also through a fragment) the count rides on the page's statement.
    expect(await count(50, '')).toBe(6);
    expect(await count(50, '...on OrderConnection { n: totalCount }')).toBe(6);
  });

  it('serve the order list and the product page without forking an EntityManager, and with the same data', async () => {
    const ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
    const em = t.app.services.orm.em;
    const fork = em.fork;
    let forks = 0;
    const list = `{ orders(first: 20) { totalCount nodes { id customer { name } lines { quantity variant { sku availableQuantity product { name } } } shipments { status } } } }`;
    const before = await t.post({ query: list }, ops);
    const productId = reviewedProductId;
    const page = `query($id: ID!) { product(id: $id) { id name variants { sku availableQuantity } ratingSummary { average count } } reviews(filter: { productId: $id }, first: 10) { totalCount nodes { id rating authorName } } }`;
    const pageBefore = await t.post({ query: page, variables: { id: productId } }, ops);
    em.fork = function (this: typeof em, ...args: Parameters<typeof em.fork>) {
      forks++;
      return fork.apply(this, args);
    } as typeof em.fork;
    try {
      const after = await t.post({ query: list }, ops);
      const pageAfter = await t.post({ query: page, variables: { id: productId } }, ops);
      expect(forks).toBe(0);
      expect(after).toEqual(before);
      expect(pageAfter).toEqual(pageBefore);
      expect(pageAfter.data.reviews.totalCount).toBeGreaterThan(0);
      expect(after.data.orders.nodes.length).toBeGreaterThan(0);
    } finally {
      em.fork = fork;
    }
  });
});
