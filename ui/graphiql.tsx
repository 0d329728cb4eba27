/**
 * The in-browser IDE served at GET /graphql. Bundled into the server (no CDN). Queries and mutations go over
 * HTTP with the headers from the header editor; subscriptions go over graphql-ws, with the header editor's
 * Authorization sent in connection_init (one socket per distinct token).
 */
import React from 'react';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { createClient, type Client } from 'graphql-ws';
import 'graphiql/graphiql.css';

const httpUrl = new URL('/graphql', window.location.href).toString();
const wsUrl = httpUrl.replace(/^http/, 'ws');
const sockets = new Map<string, Client>();

function socketFor(authorization: string | undefined): Client {
  const key = authorization ?? '';
  let client = sockets.get(key);
  if (!client) {
    client = createClient({ url: wsUrl, connectionParams: authorization ? { authorization } : {}, retryAttempts: 5 });
    sockets.set(key, client);
  }
  return client;
}

type Params = { query: string; variables?: Record<string, unknown> | null; operationName?: string | null };

const fetcher = (params: Params, opts?: { headers?: Record<string, string> }) => {
  const headers = opts?.headers ?? {};
  const authorization = headers.Authorization ?? headers.authorization;
  const isSubscription = /^\s*subscription\b/m.test(params.query.replace(/#.*$/gm, ''));
  if (isSubscription) {
    const client = socketFor(authorization);
    return {
      subscribe(observer: { next: (v: unknown) => void; error: (e: unknown) => void; complete: () => void }) {
        const dispose = client.subscribe(params as any, observer);
        return { unsubscribe: dispose };
      },
    };
  }
  return fetch(httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: JSON.stringify(params),
  }).then((r) => r.json());
};

const defaultQuery = `# Welcome. Sign in with the login mutation, then put the token in the Headers tab:
# { "Authorization": "Bearer <accessToken>" }
query Me {
  me { kind roles id }
}
`;

createRoot(document.getElementById('graphiql')!).render(
  <GraphiQL fetcher={fetcher as any} defaultQuery={defaultQuery} isHeadersEditorEnabled shouldPersistHeaders />,
);
