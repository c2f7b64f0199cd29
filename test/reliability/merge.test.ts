// merge streams the shards' cases.jsonl line by line (a long campaign's file is larger than V8's
// longest string, ~512 MiB, so reading it whole would fail): every case line of every shard, in
// shard order, headers dropped, blank lines skipped, a missing final newline tolerated.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/runCli.js';
import { memoryIo } from '../../src/cli/_testutil/memoryIo.js';

describe('merge OUT DIR...', () => {
  it('copies every case line of every shard into OUT/cases.jsonl, streamed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lf-merge-'));
    const record = JSON.parse(
      readFileSync(fileURLToPath(new URL('../fixtures/report-run.json', import.meta.url)), 'utf8'),
    ) as { config: Record<string, unknown> };
    const shardLines: string[][] = [];
    for (const index of [1, 2]) {
      const d = join(dir, `s${index}`);
      mkdirSync(d);
      writeFileSync(
        join(d, 'results.json'),
        JSON.stringify({ ...record, config: { ...record.config, shard: { index, count: 2 } } }),
      );
      // 3000 lines of ~300 bytes each, one shard with CRLF endings and no final newline
      const lines = Array.from({ length: 3000 }, (_, i) =>
        JSON.stringify({
          id: 2 * i + index - 1,
          op: 'softmax',
          format: 'f64',
          region: 'r',
          x: Array.from({ length: 20 }, (__, k) => k + i / 7),
          outcomes: [],
        }),
      );
      shardLines.push(lines);
      const header = JSON.stringify({ schema: 'logitfuzz/cases@2', key: `k${index}` });
      writeFileSync(
        join(d, 'cases.jsonl'),
        index === 1 ? `${header}\n${lines.join('\n')}\n\n` : `${header}\r\n${lines.join('\r\n')}`,
      );
    }
    const io = memoryIo();
    const code = await runCli(['merge', join(dir, 'all'), join(dir, 's1'), join(dir, 's2')], io);
    expect(code, io.stderr.text).toBe(0);
    const out = readFileSync(join(dir, 'all', 'cases.jsonl'), 'utf8').split('\n');
    expect(out.at(-1)).toBe('');
    expect(JSON.parse(out[0])).toMatchObject({ schema: 'logitfuzz/cases@2', key: 'merged' });
    expect(out.slice(1, -1)).toEqual([...shardLines[0], ...shardLines[1]]);
  });
});
