/**
 * Live service console served at /console: sign in with a token, watch the live feeds, resume without gaps.
 * Each feed remembers the last eventId it showed (localStorage) and resubscribes with afterEventId after
 * every reconnect, so nothing is missed and nothing is shown twice.
 */
import { createClient, type Client } from 'graphql-ws';
import { FEEDS, type Feed } from './feeds.js';

const $ = <T extends HTMLElement>(sel: string) => document.querySelector(sel) as T;
const wsUrl = new URL('/graphql', window.location.href).toString().replace(/^http/, 'ws');
const MAX_ROWS = 200;

let client: Client | undefined;
const disposers = new Map<string, () => void>();
const lastIds = () => JSON.parse(localStorage.getItem('console.lastEventIds') ?? '{}') as Record<string, number>;
const seen = new Map<string, Set<number>>();

function setStatus(text: string, state: 'ok' | 'warn' | 'off') {
  const el = $('#status');
  el.textContent = text;
  el.dataset.state = state;
}

function remember(feed: Feed, eventId: number) {
  const ids = lastIds();
  if ((ids[feed.key] ?? 0) < eventId) {
    ids[feed.key] = eventId;
    localStorage.setItem('console.lastEventIds', JSON.stringify(ids));
  }
}

function show(feed: Feed, event: Record<string, any>) {
  remember(feed, event.eventId);
  if (feed.accept && !feed.accept(event)) return;
  const ids = seen.get(feed.key) ?? new Set();
  seen.set(feed.key, ids);
  if (ids.has(event.eventId)) return;
  ids.add(event.eventId);
  const list = $(`#feed-${feed.key} ol`);
  const li = document.createElement('li');
  li.dataset.eventId = String(event.eventId);
  if (feed.highlight?.(event)) li.classList.add('alert');
  const time = document.createElement('time');
  time.textContent = new Date(feed.time(event)).toLocaleTimeString();
  const text = document.createElement('span');
  text.textContent = feed.describe(event);
  li.append(time, text);
  list.prepend(li);
  while (list.children.length > MAX_ROWS) list.lastElementChild!.remove();
}

function subscribeAll() {
  if (!client) return;
  for (const dispose of disposers.values()) dispose();
  disposers.clear();
  for (const feed of FEEDS) {
    const afterEventId = lastIds()[feed.key];
    const dispose = client.subscribe<Record<string, any>>(
      { query: feed.query, variables: afterEventId ? { afterEventId } : {} },
      {
        next: ({ data, errors }) => {
          if (errors?.length) return setFeedError(feed, errors[0]!.message);
          const event = data?.[feed.field];
          if (event) show(feed, event);
        },
        error: (err) => setFeedError(feed, Array.isArray(err) ? err[0]?.message : String((err as any)?.reason ?? err)),
        complete: () => undefined,
      },
    );
    disposers.set(feed.key, dispose);
  }
}

function setFeedError(feed: Feed, message: string) {
  $(`#feed-${feed.key} .error`).textContent = message;
}

function connect(token: string) {
  client?.dispose();
  sessionStorage.setItem('console.token', token);
  setStatus('connecting…', 'warn');
  client = createClient({
    url: wsUrl,
    connectionParams: { authorization: `Bearer ${token}` },
    lazy: false,
    retryAttempts: Infinity,
    shouldRetry: (e: any) => e?.code !== 4403,
    retryWait: async (retries) => new Promise((r) => setTimeout(r, Math.min(1000 * 2 ** retries, 15_000))),
    on: {
      connected: () => {
        setStatus('live', 'ok');
        subscribeAll(); // (re)subscribe with the last seen ids: replay what was missed, then live
      },
      closed: (e: any) => setStatus(e?.code === 4403 ? 'token refused (4403) — sign in again' : 'reconnecting…', e?.code === 4403 ? 'off' : 'warn'),
    },
  });
}

function render() {
  const panes = $('#panes');
  for (const feed of FEEDS) {
    const section = document.createElement('section');
    section.id = `feed-${feed.key}`;
    section.innerHTML = `<h2></h2><p class="error"></p><ol></ol>`;
    section.querySelector('h2')!.textContent = feed.title;
    panes.append(section);
  }
  $('#signin').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = ($('#token') as HTMLInputElement).value.trim().replace(/^Bearer\s+/i, '');
    if (token) connect(token);
  });
  const saved = sessionStorage.getItem('console.token');
  if (saved) {
    ($('#token') as HTMLInputElement).value = saved;
    connect(saved);
  } else setStatus('signed out', 'off');
}

render();
