import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { heartbeat } from '../src/app/ws-support.js';

// The keep-alive of the server's WebSockets (src/app/ws-support.ts), on a real ws server over loopback with a short
// interval: every socket is pinged once per interval, one that does not answer is cut off, and the pings of many
// sockets are spread over the interval instead of leaving in one burst.
const INTERVAL_MS = 1200;
const SLICES = 6;
let server: http.Server;
let wss: WebSocketServer;
let stop: () => void;
let url: string;

beforeAll(async () => {
  server = http.createServer();
  wss = new WebSocketServer({ server });
  stop = heartbeat(wss, INTERVAL_MS, SLICES);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  stop();
  for (const s of wss.clients) s.terminate();
  await new Promise((resolve) => wss.close(resolve));
  await new Promise((resolve) => server.close(resolve));
});

const open = (autoPong: boolean) =>
  new Promise<{ ws: WebSocket; pings: number[]; closed: Promise<number> }>((resolve, reject) => {
    const ws = new WebSocket(url, { autoPong });
    const pings: number[] = [];
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.on('ping', () => pings.push(performance.now()));
    ws.once('open', () => resolve({ ws, pings, closed }));
    ws.once('error', reject);
  });

describe('WebSocket keep-alive', () => {
  it('pings every socket once per interval in slices, and cuts off a socket that does not answer', async () => {
    const answering = await Promise.all(Array.from({ length: 12 }, () => open(true)));
    const mute = await open(false);
    const started = performance.now();
    const cut = await Promise.race([mute.closed.then((code) => ({ code, after: performance.now() - started })), new Promise<undefined>((r) => setTimeout(() => r(undefined), 4 * INTERVAL_MS))]);
    // Silent for a whole interval after its ping: terminated at its group's next visit (no close handshake: 1006).
    expect(cut).toBeDefined();
    expect(cut!.code).toBe(1006);
    expect(cut!.after).toBeLessThan(2 * INTERVAL_MS + 400);
    await new Promise((r) => setTimeout(r, INTERVAL_MS));

    // Everyone who answers is still connected and was pinged about once per interval.
    const elapsed = performance.now() - started;
    for (const c of answering) {
      expect(c.ws.readyState).toBe(WebSocket.OPEN);
      expect(c.pings.length).toBeGreaterThanOrEqual(Math.floor(elapsed / INTERVAL_MS) - 1);
      expect(c.pings.length).toBeLessThanOrEqual(Math.ceil(elapsed / INTERVAL_MS) + 1);
    }
    // The first pings left in several bursts, a slice of the sockets each, not all at once.
    const firsts = [...answering, mute].map((c) => c.pings[0]!).sort((a, b) => a - b);
    const bursts: number[][] = [];
    for (const at of firsts) {
      const last = bursts[bursts.length - 1];
      if (last && at - last[last.length - 1]! < INTERVAL_MS / SLICES / 2) last.push(at);
      else bursts.push([at]);
    }
    expect(bursts.length).toBeGreaterThanOrEqual(SLICES - 1);
    expect(Math.max(...bursts.map((b) => b.length))).toBeLessThanOrEqual(Math.ceil(13 / SLICES) + 1);
    for (const c of answering) c.ws.terminate();
  });
});
