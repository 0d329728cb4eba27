import { buildSchema } from 'type-graphql';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { authChecker } from '../common/auth/access.js';
import { modules } from './modules.js';
import { installDirectResolvers } from './direct-resolvers.js';

export const resolvers = modules.flatMap((m) => m.resolvers) as [Function, ...Function[]];

/**
 * type-graphql insists on a PubSub even though every subscription here brings its own `subscribe`
 * (outbox replay + live bus, see common/events/stream.ts). Topic-based subscriptions are deliberately
 * unsupported: they would bypass replay and authorisation.
 */
const noTopicPubSub = {
  publish(): never {
    throw new Error('Publish events with recordEvent() inside the transaction, not through a PubSub');
  },
  subscribe(): never {
    throw new Error('Subscriptions must use `subscribe: (...) => eventStream(...)`, not `topics`');
  },
};

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema; built once per process (type-graphql metadata is global anyway). */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({ resolvers, authChecker, validate: false, pubSub: noTopicPubSub as any }).then((schema) => {
    installDirectResolvers(schema, resolvers);
    return documentAccess(schema);
  });
  return built;
}

/** Appends who may use each root field (from @Allow / @Public) to its description, so it is in the SDL. */
function documentAccess(schema: GraphQLSchema): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      const access = field.extensions?.access as string[] | undefined;
      if (!access) continue;
      const staff = access.some((a) => a !== 'CUSTOMER');
      const who = access.includes('PUBLIC') ? 'anyone, including anonymous callers' : access.join(', ') + (access.includes('ADMIN') || !staff ? '' : ' (and ADMIN)');
      field.description = `${field.description ?? ''}\n\nAccess: ${who}.`.trim();
    }
  }
  return schema;
}

/** SDL as committed in schema/schema.graphql: sorted, so the file changes only when the API does. */
export async function printAppSchema(): Promise<string> {
  return printSchema(lexicographicSortSchema(await buildAppSchema())) + '\n';
}
