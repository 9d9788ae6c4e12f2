// A static file server for dist/ on 127.0.0.1, with the MIME types the app
// needs (.wasm must be application/wasm). No dependencies.
//   node scripts/serve.mjs [DIR] [PORT]     PORT 0 picks a free port.
// Prints "mailsim: serving DIR on http://127.0.0.1:PORT/" once listening.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
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
    const body = await readFile(path);
    res.writeHead(200, {
      'Content-Type': types[extname(path)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
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
