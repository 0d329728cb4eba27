/**
 * The reference for P2: the floor of a fan-out on this machine. A bare `ws` server that speaks just enough
 * graphql-transport-ws for bench/fanout-client.mjs (ack the connection, remember each subscription) and, on
 * `POST /fire {orderId}`, writes one `next` message to every subscription in a tight loop: the message's WebSocket
 * frame, built once, straight to each TCP socket (the cheapest way to put bytes on 10,000 sockets from Node; ws's
 * `socket.send` frames every message again and writes header and payload with writev, ~20 % slower here).
 * No GraphQL, no database, no outbox, no Redis: what is left is the kernel's loopback writes and the clients'
 * reads on the same cores. Run as its own process (`node bench/fanout-reference.mjs`, PORT from the environment).
 */
import http from 'node:http';
import { WebSocketServer } from 'ws';

/** An unmasked server text frame (RFC 6455 §5.2) with `payload`. */
function frame(payload) {
  const n = payload.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + n);
  out[0] = 0x81;
  if (n < 126) out[1] = n;
  else if (n < 65536) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 127;
    out.writeBigUInt64BE(BigInt(n), 2);
  }
  payload.copy(out, head);
  return out;
}

/** @type {{ socket: import('ws').WebSocket, id: string }[]} */
const subscriptions = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/fire') {
      res.statusCode = req.url === '/ready' ? 200 : 404;
      res.end();
      return;
    }
    const { orderId, eventId } = JSON.parse(body);
    const payload = JSON.stringify({ data: { orderStatusChanged: { eventId, orderId, status: 'CONFIRMED' } } });
    const started = performance.now();
    // Framed once per subscription id (every client here uses the same one).
    const frames = new Map();
    for (const s of subscriptions) {
      let f = frames.get(s.id);
      if (!f) frames.set(s.id, (f = frame(Buffer.from(`{"id":${JSON.stringify(s.id)},"type":"next","payload":${payload}}`))));
      s.socket._socket.write(f);
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ sent: subscriptions.length, loopMs: performance.now() - started }));
  });
});
const wss = new WebSocketServer({ server, path: '/graphql', perMessageDeflate: false });
wss.on('connection', (socket) => {
  socket.on('message', (raw) => {
    const m = JSON.parse(String(raw));
    if (m.type === 'connection_init') socket.send('{"type":"connection_ack"}');
    else if (m.type === 'subscribe') subscriptions.push({ socket, id: m.id });
  });
  socket.on('close', () => {
    for (let i = subscriptions.length - 1; i >= 0; i--) if (subscriptions[i].socket === socket) subscriptions.splice(i, 1);
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(JSON.stringify({ msg: 'server ready' })));
