/**
 * The reference for P1: the same order-list query served by plain graphql-js with hand-written SQL over pg
 * (batched per request with DataLoader, as any competent hand-rolled server would). No ORM, no type-graphql,
 * no auth, no limits, no logging — the floor our API is compared against.
 */
import http from 'node:http';
import pg from 'pg';
import DataLoader from 'dataloader';
import { GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, GraphQLID, graphql, parse, validate, execute } from 'graphql';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const q = async (text: string, params: unknown[]) => (await pool.query(text, params)).rows;

interface Loaders {
  customer: DataLoader<string, any>;
  lines: DataLoader<string, any[]>;
  variant: DataLoader<string, any>;
  product: DataLoader<string, any>;
}
const byId = (rows: any[], ids: readonly string[]) => {
  const m = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => m.get(id) ?? null);
};
const loaders = (): Loaders => ({
  customer: new DataLoader(async (ids) => byId(await q('SELECT id, name, email FROM customer WHERE id = ANY($1)', [ids]), ids)),
  variant: new DataLoader(async (ids) => byId(await q('SELECT id, sku, product_id FROM product_variant WHERE id = ANY($1)', [ids]), ids)),
  product: new DataLoader(async (ids) => byId(await q('SELECT id, name FROM product WHERE id = ANY($1)', [ids]), ids)),
  lines: new DataLoader(async (ids) => {
    const rows = await q('SELECT order_id, variant_id, quantity, unit_price_amount, currency FROM order_line WHERE order_id = ANY($1) ORDER BY order_id, position', [ids]);
    const g = new Map<string, any[]>();
    for (const r of rows) (g.get(r.order_id) ?? g.set(r.order_id, []).get(r.order_id)!).push(r);
    return ids.map((id) => g.get(id) ?? []);
  }),
});

const Money = new GraphQLObjectType({ name: 'Money', fields: { amount: { type: GraphQLInt }, currency: { type: GraphQLString } } });
const Product = new GraphQLObjectType({ name: 'Product', fields: { id: { type: GraphQLID }, name: { type: GraphQLString } } });
const Variant = new GraphQLObjectType<any, Loaders>({
  name: 'ProductVariant',
  fields: { sku: { type: GraphQLString }, product: { type: Product, resolve: (v, _a, l) => l.product.load(v.product_id) } },
});
const Line = new GraphQLObjectType<any, Loaders>({
  name: 'OrderLine',
  fields: {
    quantity: { type: GraphQLInt },
    unitPrice: { type: Money, resolve: (l) => ({ amount: l.unit_price_amount, currency: l.currency }) },
    variant: { type: Variant, resolve: (l, _a, ctx) => ctx.variant.load(l.variant_id) },
  },
});
const Customer = new GraphQLObjectType({ name: 'Customer', fields: { id: { type: GraphQLID }, name: { type: GraphQLString }, email: { type: GraphQLString } } });
const Order = new GraphQLObjectType<any, Loaders>({
  name: 'Order',
  fields: {
    id: { type: GraphQLID },
    displayNumber: { type: GraphQLString, resolve: (o) => `#${o.number}` },
    status: { type: GraphQLString },
    placedAt: { type: GraphQLString, resolve: (o) => o.placed_at.toISOString() },
    total: { type: Money, resolve: (o) => ({ amount: o.total_amount, currency: o.currency }) },
    customer: { type: Customer, resolve: (o, _a, ctx) => ctx.customer.load(o.customer_id) },
    lines: { type: new GraphQLList(Line), resolve: (o, _a, ctx) => ctx.lines.load(o.id) },
  },
});
const OrderConnection = new GraphQLObjectType({ name: 'OrderConnection', fields: { nodes: { type: new GraphQLList(Order) } } });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      orders: {
        type: OrderConnection,
        args: { first: { type: new GraphQLNonNull(GraphQLInt) } },
        resolve: async (_r, { first }) => ({
          nodes: await q('SELECT id, number, status, placed_at, total_amount, currency, customer_id FROM sales_order ORDER BY placed_at DESC, id DESC LIMIT $1', [first]),
        }),
      },
    },
  }),
});
void graphql;

const cache = new Map<string, ReturnType<typeof parse>>();
http
  .createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      const { query, variables } = JSON.parse(body);
      let doc = cache.get(query);
      if (!doc) {
        doc = parse(query);
        if (validate(schema, doc).length) throw new Error('invalid');
        cache.set(query, doc);
      }
      const result = await execute({ schema, document: doc, variableValues: variables, contextValue: loaders() });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(result));
    });
  })
  .listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'server ready', url: `http://127.0.0.1:${process.env.PORT}/graphql` })));
