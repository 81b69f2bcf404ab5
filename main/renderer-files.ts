/**
 * Reading a renderer file (renderer/dist) for a URL path, for both the app:// protocol and the
 * bridge. The path is decoded once, normalised and must stay inside the root: traversal
 * (`..`, encoded or not), NUL bytes and backslashes are refused. Unknown paths without an
 * extension fall back to index.html (client-side routes).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

export type RendererFile = { status: 200; body: Buffer; contentType: string } | { status: 400 | 404 };

export async function readRendererFile(root: string, urlPath: string): Promise<RendererFile> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400 };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..')) return { status: 400 };
  const relative = path.posix.normalize(decoded).replace(/^\/+/, '');
  const absoluteRoot = path.resolve(root);
  const file = path.resolve(absoluteRoot, relative === '' ? 'index.html' : relative);
  if (file !== absoluteRoot && !file.startsWith(absoluteRoot + path.sep)) return { status: 400 };
  const ext = path.extname(file).toLowerCase();
  const candidate = ext === '' ? path.join(absoluteRoot, 'index.html') : file;
  const type = TYPES[path.extname(candidate).toLowerCase()];
  if (!type) return { status: 404 };
  try {
    const stat = await fs.stat(candidate);
    if (!stat.isFile()) return { status: 404 };
    return { status: 200, body: await fs.readFile(candidate), contentType: type };
  } catch {
    return { status: 404 };
  }
}
