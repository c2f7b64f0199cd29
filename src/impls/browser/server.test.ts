import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentType, LoopbackServer } from './server.js';

describe('LoopbackServer', () => {
  let server: LoopbackServer;
  let dir: string;
  let outside: string;

  beforeAll(async () => {
    const root = mkdtempSync(join(tmpdir(), 'logitfuzz-server-'));
    dir = join(root, 'served');
    outside = join(root, 'secret.txt');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'mod.mjs'), 'export const a = 1;');
    writeFileSync(join(dir, 'sub', 'k.wasm'), new Uint8Array([0, 97, 115, 109]));
    writeFileSync(outside, 'not for the page');
    symlinkSync(outside, join(dir, 'link.txt'));
    server = await LoopbackServer.start();
  });
  afterAll(() => server.close());

  it('listens on the loopback address only', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.pageUrl).toBe(`${server.origin}/`);
  });

  it('serves the page, put documents and mounted folders with their content types', async () => {
    const page = await fetch(server.pageUrl);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('<title>logitfuzz</title>');
    const url = server.mount('module/abc', dir);
    const mod = await fetch(`${url}mod.mjs`);
    expect(mod.status).toBe(200);
    expect(mod.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await mod.text()).toBe('export const a = 1;');
    const wasm = await fetch(`${url}sub/k.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
    const doc = await fetch(server.put('bundle/x.mjs', 'export default 2;'));
    expect(await doc.text()).toBe('export default 2;');
  });

  it('serves nothing outside a mounted folder: no climbing out, no link out, no unmounted path', async () => {
    const url = server.mount('module/abc', dir);
    for (const path of ['..%2Fsecret.txt', '%2E%2E/secret.txt', 'link.txt', 'missing.mjs', 'sub/'])
      expect((await fetch(`${url}${path}`)).status, path).toBe(404);
    expect((await fetch(`${server.origin}/elsewhere/mod.mjs`)).status).toBe(404);
    expect(() => server.mount('../up', dir)).toThrow(/bad mount prefix/);
  });

  it('carries a batch in and out: the input to GET, the output taken from a POST', async () => {
    const ex = server.exchange(new Uint8Array([1, 2, 3]));
    expect(new Uint8Array(await (await fetch(ex.inUrl)).arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    const posted = await fetch(ex.outUrl, { method: 'POST', body: new Uint8Array([9, 8]) });
    expect(posted.status).toBe(200);
    expect(ex.take()).toEqual(new Uint8Array([9, 8]));
    // taken: the exchange is gone, and a second post is refused
    expect((await fetch(ex.inUrl)).status).toBe(404);
    expect((await fetch(ex.outUrl, { method: 'POST', body: new Uint8Array([1]) })).status).toBe(404);
    const none = server.exchange(new Uint8Array(0));
    expect(() => none.take()).toThrow(/posted no output/);
  });

  it('names content types by extension', () => {
    expect(contentType('a/b.MJS')).toBe('text/javascript; charset=utf-8');
    expect(contentType('x.json')).toBe('application/json; charset=utf-8');
    expect(contentType('x.bin')).toBe('application/octet-stream');
  });
});
