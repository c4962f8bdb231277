// A small HTTP server standing in for a relying party's redirect URI (tests/interop).
import http from 'node:http';

// A loopback redirect URI (RFC 8252 §7.3): every request to it is recorded and answered with a
// small page. next() resolves with the next request's full URL (and body, for form_post).
export async function startCallbackServer() {
  const waiting = [];
  const received = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const hit = { method: req.method, url: new URL(req.url, `http://${req.headers.host}`), body };
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>callback</title><p>callback received</p>');
      if (hit.url.pathname === '/favicon.ico') return;
      const w = waiting.shift();
      if (w) w(hit); else received.push(hit);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    url: (p = '/callback') => `http://127.0.0.1:${port}${p}`,
    next: (timeoutMs = 30000) => new Promise((resolve, reject) => {
      const r = received.shift();
      if (r) return resolve(r);
      const waiter = (hit) => { clearTimeout(t); resolve(hit); };
      // A waiter that timed out leaves the queue, so it cannot swallow a later request.
      const t = setTimeout(() => {
        waiting.splice(waiting.indexOf(waiter), 1);
        reject(new Error('no request reached the callback'));
      }, timeoutMs);
      waiting.push(waiter);
    }),
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
