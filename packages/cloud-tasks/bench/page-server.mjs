// The page server of list.bench.mjs: `GET /backend-api/wham/tasks/list?limit&cursor` over N pre-built tasks,
// answering after a fixed delay (argv[3], ms) to stand in for a network round trip.
import { createServer } from 'node:http';

const total = Number(process.argv[2] ?? 1000);
// A simulated round trip: the answer leaves this many milliseconds after the request arrived.
const delayMs = Number(process.argv[3] ?? 0);
const tasks = Array.from({ length: total }, (_, i) => ({
  id: `task_e_${String(i).padStart(6, '0')}`,
  title: `Task number ${i}: make the thing better`,
  created_at: 1_700_000_000 + i,
  updated_at: 1_700_000_100 + i,
  task_status_display: {
    latest_turn_status_display: {
      turn_status: 'completed',
      diff_stats: { files_modified: 2, lines_added: 10, lines_removed: 3 },
    },
    environment_label: 'bench',
  },
  archived: false,
  has_unread_turn: false,
  pull_requests: [],
}));
const pages = new Map();
let count = 0;
const server = createServer((req, res) => {
  count++;
  const url = new URL(req.url, 'http://x');
  if (url.pathname !== '/backend-api/wham/tasks/list' || !req.headers.authorization) {
    res.writeHead(404).end();
    return;
  }
  const limit = Number(url.searchParams.get('limit') ?? 20);
  const offset = Number(url.searchParams.get('cursor') ?? 0);
  const key = `${offset}:${limit}`;
  let body = pages.get(key);
  if (!body) {
    const next = offset + limit < total ? String(offset + limit) : null;
    body = JSON.stringify({ items: tasks.slice(offset, offset + limit), cursor: next });
    pages.set(key, body);
  }
  const send = () => res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  if (delayMs > 0) setTimeout(send, delayMs);
  else send();
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.send({ url: `http://127.0.0.1:${server.address().port}/backend-api` });
});
process.on('message', () => process.send({ count }));
