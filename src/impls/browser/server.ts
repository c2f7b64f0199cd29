/**
 * The loopback HTTP server the browser's pages come from. It listens on 127.0.0.1 on a port the
 * system picks, so the page is a secure context (`navigator.gpu` exists only in one) and nothing
 * else on the network can reach it; the page needs no other network (libraries, .wasm files and a
 * vetted module's folder are all served from here — no CDN).
 *
 * What it serves: the blank page at `/`; documents put in memory (`put`: a bundled module); and
 * folders mounted under a prefix (`mount`: a library's package folder, a module's folder). A
 * request outside those, or one whose path resolves (symbolic links included) outside its
 * folder, is a 404.
 *
 * Batches travel over it too (`exchange`): the page fetches a batch's input bytes and POSTs its
 * output bytes back. Measured with Chromium 156 and playwright-core 1.65: a typed array passed
 * through `page.evaluate` crosses at a few MB/s (a 2^18-logit f32 row, 1 MiB, took about 300 ms
 * there and back), the same bytes over loopback HTTP in a few ms.
 */
import { readFile, realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';

/** The page every implementation's code is loaded into. */
const PAGE = '<!doctype html><meta charset="utf-8"><title>logitfuzz</title><body></body>';

const TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};

/** The content type of a served path (by extension; octet-stream for anything else). */
export function contentType(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** One batch's way in and out of the page (`LoopbackServer.exchange`). */
export interface Exchange {
  /** Where the page GETs the input bytes. */
  readonly inUrl: string;
  /** Where the page POSTs the output bytes. */
  readonly outUrl: string;
  /** The bytes the page posted; throws if it posted none. Forgets the exchange. */
  take(): Uint8Array;
  /** Forgets the exchange (after a failed call). */
  close(): void;
}

/** The largest output a page may post (bytes): far above a 2^20-logit f64 batch. */
const MAX_POST = 64 << 20;

export class LoopbackServer {
  private readonly mounts = new Map<string, string>();
  private readonly docs = new Map<string, { body: string | Uint8Array; type: string }>();
  private readonly inbox = new Map<string, Uint8Array | null>();
  private exchanges = 0;

  private constructor(
    private readonly server: Server,
    /** `http://127.0.0.1:PORT` */
    readonly origin: string,
  ) {}

  /** Starts a server on 127.0.0.1 (a free port). */
  static async start(): Promise<LoopbackServer> {
    // requests arrive only after `listen` resolves, by which time `self` exists
    const server = createServer((req, res) => {
      void self.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    // an idle keep-alive socket must not keep this process alive once the campaign is done
    server.unref();
    const { port } = server.address() as AddressInfo;
    const self = new LoopbackServer(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /**
   * Serves the files under `dir` at `/PREFIX/…` (PREFIX: letters, digits, '@', '.', '_', '-', and
   * '/' between them). Returns the URL of the folder, with a trailing '/'.
   */
  mount(prefix: string, dir: string): string {
    if (!/^[\w@.-]+(\/[\w@.-]+)*$/.test(prefix) || prefix.split('/').includes('..'))
      throw new Error(`bad mount prefix '${prefix}'`);
    this.mounts.set(prefix, dir);
    return `${this.origin}/${prefix}/`;
  }

  /** Serves `body` at `/PATH`. Returns its URL. */
  put(path: string, body: string | Uint8Array, type = contentType(path)): string {
    this.docs.set(`/${path}`, { body, type });
    return `${this.origin}/${path}`;
  }

  /** A fresh exchange whose input is `input` (see the header). */
  exchange(input: Uint8Array): Exchange {
    const id = String(++this.exchanges);
    const inPath = `/exchange/${id}/in`;
    const outPath = `/exchange/${id}/out`;
    this.docs.set(inPath, { body: input, type: 'application/octet-stream' });
    this.inbox.set(outPath, null);
    const close = (): void => {
      this.docs.delete(inPath);
      this.inbox.delete(outPath);
    };
    return {
      inUrl: `${this.origin}${inPath}`,
      outUrl: `${this.origin}${outPath}`,
      take: () => {
        const out = this.inbox.get(outPath);
        close();
        if (!out) throw new Error(`the page posted no output for exchange ${id}`);
        return out;
      },
      close,
    };
  }

  /** The blank page's URL. */
  get pageUrl(): string {
    return `${this.origin}/`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const send = (status: number, body: string | Uint8Array, type: string): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    let path: string;
    try {
      path = decodeURIComponent(new URL(req.url ?? '/', this.origin).pathname);
    } catch {
      return send(400, 'bad path', 'text/plain');
    }
    if (req.method === 'POST') return this.receive(path, req, send);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'GET or POST only', 'text/plain');
    if (path === '/') return send(200, PAGE, TYPES['.html']);
    const doc = this.docs.get(path);
    if (doc) return send(200, doc.body, doc.type);
    const file = await this.resolveMounted(path);
    if (file === null) return send(404, 'not found', 'text/plain');
    try {
      send(200, await readFile(file), contentType(file));
    } catch {
      send(404, 'not found', 'text/plain');
    }
  }

  /** A page's POST of an exchange's output: kept for `take`; any other POST is a 404. */
  private receive(
    path: string,
    req: IncomingMessage,
    send: (status: number, body: string, type: string) => void,
  ): void {
    if (this.inbox.get(path) !== null) {
      req.resume();
      return send(404, 'no such exchange', 'text/plain');
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_POST) chunks.push(c);
    });
    req.on('end', () => {
      if (size > MAX_POST) return send(413, 'too large', 'text/plain');
      // only an exchange still open takes it (a late post after close is dropped)
      if (this.inbox.has(path)) this.inbox.set(path, new Uint8Array(Buffer.concat(chunks)));
      send(200, 'ok', 'text/plain');
    });
  }

  /** The file a path names under a mount, or null (no mount, or outside its folder). */
  private async resolveMounted(path: string): Promise<string | null> {
    // the longest prefix wins (a package folder mounted inside another's prefix)
    let best: [string, string] | undefined;
    for (const [prefix, dir] of this.mounts) {
      if (path.startsWith(`/${prefix}/`) && (!best || prefix.length > best[0].length)) best = [prefix, dir];
    }
    if (!best) return null;
    const rel = path.slice(best[0].length + 2);
    if (rel.split('/').some((p) => p === '..' || p === '')) return null;
    try {
      const root = await realpath(best[1]);
      const real = await realpath(join(root, rel));
      return real.startsWith(root + sep) ? real : null;
    } catch {
      return null;
    }
  }
}
