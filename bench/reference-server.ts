/**
 * The reference for P1: the same two frontend reads (back-office order list, product page) served by plain
 * graphql-js with hand-written SQL over pg, batched per request with DataLoader as any competent hand-rolled
 * server would. No ORM, no type-graphql, no auth, no limits, no logging: the floor our API is compared against.
 * Each response carries `extensions.sqlStatements`, the statements that request sent.
 */
import http from 'node:http';
import pg from 'pg';
import DataLoader from 'dataloader';
import {
  GraphQLBoolean,
  GraphQLFloat,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  execute,
  parse,
  validate,
  type DocumentNode,
} from 'graphql';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 10) });

interface Ctx {
  statements: number;
  q(text: string, params: unknown[]): Promise<any[]>;
  customer: DataLoader<string, any>;
  lines: DataLoader<string, any[]>;
  shipments: DataLoader<string, any[]>;
  variant: DataLoader<string, any>;
  variantsOf: DataLoader<string, any[]>;
  product: DataLoader<string, any>;
  available: DataLoader<string, number>;
  rating: DataLoader<string, any>;
}

const byId = (rows: any[], ids: readonly string[], key = 'id') => {
  const m = new Map(rows.map((r) => [r[key], r]));
  return ids.map((id) => m.get(id) ?? null);
};
const grouped = (rows: any[], ids: readonly string[], key: string) => {
  const g = new Map<string, any[]>();
  for (const r of rows) (g.get(r[key]) ?? g.set(r[key], []).get(r[key])!).push(r);
  return ids.map((id) => g.get(id) ?? []);
};

function context(): Ctx {
  const ctx = {
    statements: 0,
    async q(text: string, params: unknown[]) {
      ctx.statements++;
      return (await pool.query(text, params)).rows;
    },
  } as Ctx;
  const q = ctx.q;
  ctx.customer = new DataLoader(async (ids) => byId(await q('SELECT id, name, email FROM customer WHERE id = ANY($1)', [ids]), ids));
  ctx.variant = new DataLoader(async (ids) => byId(await q('SELECT id, sku, name, product_id, price_amount, currency FROM product_variant WHERE id = ANY($1)', [ids]), ids));
  ctx.variantsOf = new DataLoader(async (ids) =>
    grouped(await q('SELECT id, sku, name, product_id, price_amount, currency FROM product_variant WHERE product_id = ANY($1) ORDER BY product_id, sku', [ids]), ids, 'product_id'),
  );
  ctx.product = new DataLoader(async (ids) => byId(await q('SELECT id, name, description FROM product WHERE id = ANY($1)', [ids]), ids));
  ctx.lines = new DataLoader(async (ids) =>
    grouped(await q('SELECT order_id, variant_id, quantity, unit_price_amount, currency FROM order_line WHERE order_id = ANY($1) ORDER BY order_id, position', [ids]), ids, 'order_id'),
  );
  ctx.shipments = new DataLoader(async (ids) =>
    grouped(await q('SELECT order_id, tracking_number, status FROM shipment WHERE order_id = ANY($1) ORDER BY order_id, created_at, id', [ids]), ids, 'order_id'),
  );
  ctx.available = new DataLoader(async (ids) => {
    const rows = await q(
      `SELECT sl.variant_id, sum(sl.on_hand - sl.reserved)::int AS available FROM stock_level sl JOIN warehouse w ON w.id = sl.warehouse_id
       WHERE w.active AND sl.variant_id = ANY($1) GROUP BY sl.variant_id`,
      [ids],
    );
    return byId(rows, ids, 'variant_id').map((r) => r?.available ?? 0);
  });
  ctx.rating = new DataLoader(async (ids) => {
    const rows = await q(
      `SELECT product_id, count(*)::int AS n, coalesce(sum(rating), 0)::int AS total,
              count(*) FILTER (WHERE rating = 1)::int AS r1, count(*) FILTER (WHERE rating = 2)::int AS r2, count(*) FILTER (WHERE rating = 3)::int AS r3,
              count(*) FILTER (WHERE rating = 4)::int AS r4, count(*) FILTER (WHERE rating = 5)::int AS r5
       FROM review WHERE status = 'PUBLISHED' AND product_id = ANY($1) GROUP BY product_id`,
      [ids],
    );
    return byId(rows, ids, 'product_id').map((r) => r ?? { n: 0, total: 0, r1: 0, r2: 0, r3: 0, r4: 0, r5: 0 });
  });
  return ctx;
}

const Money = new GraphQLObjectType({ name: 'Money', fields: { amount: { type: GraphQLInt }, currency: { type: GraphQLString } } });
const RatingBucket = new GraphQLObjectType({ name: 'RatingBucket', fields: { rating: { type: GraphQLInt }, count: { type: GraphQLInt } } });
const RatingSummary = new GraphQLObjectType({
  name: 'RatingSummary',
  fields: {
    average: { type: GraphQLFloat, resolve: (r) => (r.n ? r.total / r.n : null) },
    count: { type: GraphQLInt, resolve: (r) => r.n },
    distribution: { type: new GraphQLList(RatingBucket), resolve: (r) => [1, 2, 3, 4, 5].map((rating) => ({ rating, count: r[`r${rating}`] })) },
  },
});
const Variant: GraphQLObjectType = new GraphQLObjectType<any, Ctx>({
  name: 'ProductVariant',
  fields: () => ({
    id: { type: GraphQLID },
    sku: { type: GraphQLString },
    name: { type: GraphQLString },
    price: { type: Money, resolve: (v) => ({ amount: v.price_amount, currency: v.currency }) },
    availableQuantity: { type: GraphQLInt, resolve: (v, _a, ctx) => ctx.available.load(v.id) },
    product: { type: Product, resolve: (v, _a, ctx) => ctx.product.load(v.product_id) },
  }),
});
const Product: GraphQLObjectType = new GraphQLObjectType<any, Ctx>({
  name: 'Product',
  fields: () => ({
    id: { type: GraphQLID },
    name: { type: GraphQLString },
    description: { type: GraphQLString },
    variants: { type: new GraphQLList(Variant), resolve: (p, _a, ctx) => ctx.variantsOf.load(p.id) },
    ratingSummary: { type: RatingSummary, resolve: (p, _a, ctx) => ctx.rating.load(p.id) },
  }),
});
const Line = new GraphQLObjectType<any, Ctx>({
  name: 'OrderLine',
  fields: {
    quantity: { type: GraphQLInt },
    unitPrice: { type: Money, resolve: (l) => ({ amount: l.unit_price_amount, currency: l.currency }) },
    variant: { type: Variant, resolve: (l, _a, ctx) => ctx.variant.load(l.variant_id) },
  },
});
const Shipment = new GraphQLObjectType({ name: 'Shipment', fields: { trackingNumber: { type: GraphQLString, resolve: (s) => s.tracking_number }, status: { type: GraphQLString } } });
const Customer = new GraphQLObjectType({ name: 'Customer', fields: { id: { type: GraphQLID }, name: { type: GraphQLString }, email: { type: GraphQLString } } });
const Order = new GraphQLObjectType<any, Ctx>({
  name: 'Order',
  fields: {
    id: { type: GraphQLID },
    displayNumber: { type: GraphQLString, resolve: (o) => `#${o.number}` },
    status: { type: GraphQLString },
    placedAt: { type: GraphQLString, resolve: (o) => o.placed_at.toISOString() },
    total: { type: Money, resolve: (o) => ({ amount: o.total_amount, currency: o.currency }) },
    customer: { type: Customer, resolve: (o, _a, ctx) => ctx.customer.load(o.customer_id) },
    lines: { type: new GraphQLList(Line), resolve: (o, _a, ctx) => ctx.lines.load(o.id) },
    shipments: { type: new GraphQLList(Shipment), resolve: (o, _a, ctx) => ctx.shipments.load(o.id) },
  },
});
const OrderConnection = new GraphQLObjectType({ name: 'OrderConnection', fields: { totalCount: { type: GraphQLInt }, nodes: { type: new GraphQLList(Order) } } });
const Review = new GraphQLObjectType<any, Ctx>({
  name: 'Review',
  fields: {
    id: { type: GraphQLID },
    rating: { type: GraphQLInt },
    title: { type: GraphQLString },
    body: { type: GraphQLString },
    authorName: { type: GraphQLString, resolve: async (r, _a, ctx) => (await ctx.customer.load(r.customer_id))?.name ?? '' },
    verifiedPurchase: { type: GraphQLBoolean, resolve: () => true },
    publishedAt: { type: GraphQLString, resolve: (r) => r.published_at?.toISOString() ?? null },
  },
});
const ReviewConnection = new GraphQLObjectType({ name: 'ReviewConnection', fields: { totalCount: { type: GraphQLInt }, nodes: { type: new GraphQLList(Review) } } });
const ReviewFilter = new GraphQLInputObjectType({ name: 'ReviewFilter', fields: { productId: { type: GraphQLID } } });

const schema = new GraphQLSchema({
  query: new GraphQLObjectType<any, Ctx>({
    name: 'Query',
    fields: {
      orders: {
        type: OrderConnection,
        args: { first: { type: GraphQLInt } },
        resolve: async (_r, { first }, ctx) => {
          const [nodes, [{ n }]] = await Promise.all([
            ctx.q('SELECT id, number, status, placed_at, total_amount, currency, customer_id FROM sales_order ORDER BY placed_at DESC, id DESC LIMIT $1', [first ?? 20]),
            ctx.q('SELECT count(*)::int AS n FROM sales_order', []),
          ]);
          return { nodes, totalCount: n };
        },
      },
      product: { type: Product, args: { id: { type: new GraphQLNonNull(GraphQLID) } }, resolve: (_r, { id }, ctx) => ctx.product.load(id) },
      reviews: {
        type: ReviewConnection,
        args: { filter: { type: ReviewFilter }, first: { type: GraphQLInt } },
        resolve: async (_r, { filter, first }, ctx) => {
          const [nodes, [{ n }]] = await Promise.all([
            ctx.q(
              `SELECT id, rating, title, body, customer_id, published_at FROM review WHERE status = 'PUBLISHED' AND product_id = $1
               ORDER BY created_at DESC, id DESC LIMIT $2`,
              [filter.productId, first ?? 20],
            ),
            ctx.q(`SELECT count(*)::int AS n FROM review WHERE status = 'PUBLISHED' AND product_id = $1`, [filter.productId]),
          ]);
          return { nodes, totalCount: n };
        },
      },
    },
  }),
});

const cache = new Map<string, DocumentNode>();
http
  .createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      res.setHeader('content-type', 'application/json');
      try {
        const { query, variables } = JSON.parse(body);
        let doc = cache.get(query);
        if (!doc) {
          doc = parse(query);
          const errors = validate(schema, doc);
          if (errors.length) throw new Error(errors.map((e) => e.message).join('; '));
          cache.set(query, doc);
        }
        const ctx = context();
        const result = await execute({ schema, document: doc, variableValues: variables, contextValue: ctx });
        res.end(JSON.stringify({ ...result, extensions: { sqlStatements: ctx.statements } }));
      } catch (err) {
        res.statusCode = 400;
        res.end(JSON.stringify({ errors: [{ message: (err as Error).message }] }));
      }
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'server ready', url: `http://127.0.0.1:${process.env.PORT}/graphql` })));
