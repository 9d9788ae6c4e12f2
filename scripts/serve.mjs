// A static file server for dist/ on 127.0.0.1, with the MIME types the app
// needs (.wasm must be application/wasm) and gzip, as static hosts serve it
// (GitHub Pages, Netlify, nginx with gzip_static): text and wasm go out
// compressed to a browser that accepts gzip, each file compressed once (level
// 9) and kept in memory until it changes. No dependencies.
//   node scripts/serve.mjs [DIR] [PORT]     PORT 0 picks a free port.
// Prints "mailsim: serving DIR on http://127.0.0.1:PORT/" once listening.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { extname, join, normalize, resolve, sep } from 'node:path';

const root = resolve(process.argv[2] ?? 'dist');
const port = Number(process.argv[3] ?? process.env.PORT ?? 8080);
const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Types worth compressing: text and wasm (images are compressed already). */
const compressible = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.json', '.svg', '.webmanifest', '.txt']);
/** path -> { key: mtime and size, gz: Buffer } */
const gzipped = new Map();

/** The gzip of a file, compressed once per version of it. */
function gzipOf(path, s, body) {
  const key = `${s.mtimeMs}:${s.size}`;
  const hit = gzipped.get(path);
  if (hit && hit.key === key) return hit.gz;
  const gz = gzipSync(body, { level: 9 });
  gzipped.set(path, { key, gz });
  return gz;
}

/** Whether the request's Accept-Encoding takes gzip (and does not refuse it with q=0). */
function acceptsGzip(req) {
  const ae = String(req.headers['accept-encoding'] ?? '');
  return ae.split(',').some((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((x) => /^\s*q=([\d.]+)/.exec(x)).find(Boolean);
    return (name === 'gzip' || name === 'x-gzip') && !(q && Number(q[1]) === 0);
  });
}

async function file(urlPath) {
  let rel;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  const path = normalize(join(root, rel));
  if (path !== root && !path.startsWith(root + sep)) return null; // no escaping dist/
  try {
    const s = await stat(path);
    return s.isDirectory() ? join(path, 'index.html') : path;
  } catch {
    return null;
  }
}

const server = createServer(async (req, res) => {
  const path = await file(req.url ?? '/');
  try {
    if (!path) throw new Error('not found');
    const [s, raw] = await Promise.all([stat(path), readFile(path)]);
    const ext = extname(path);
    const headers = {
      'Content-Type': types[ext] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    };
    let body = raw;
    if (compressible.has(ext)) {
      headers.Vary = 'Accept-Encoding';
      if (acceptsGzip(req)) {
        body = gzipOf(path, s, raw);
        headers['Content-Encoding'] = 'gzip';
      }
    }
    headers['Content-Length'] = body.length;
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('404 not found\n');
  }
});

server.on('error', (e) => {
  console.error(`mailsim: cannot serve on 127.0.0.1:${port}: ${e.message}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  const url = `http://127.0.0.1:${server.address().port}/`;
  console.log(`mailsim: serving ${root} on ${url}  (Ctrl+C stops; PORT=... changes the port)`);
});
