import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReports } from './reportFlags.js';
import { InputError } from './errors.js';
import { memoryIo } from './_testutil/memoryIo.js';
import { fixtureRecord } from '../report/_testutil/fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'logitfuzz-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeReports', () => {
  const r = fixtureRecord();

  it('writes the requested reports (creating folders) and appends the Markdown summary to $GITHUB_STEP_SUMMARY', async () => {
    const summary = join(dir, 'step.md');
    writeFileSync(summary, '# earlier step\n');
    const files = {
      index: join(dir, 'out', 'index.html'),
      html: join(dir, 'a', 'r.html'),
      junit: join(dir, 'b', 'j.xml'),
      markdown: join(dir, 'c', 's.md'),
    };
    const written = await writeReports(memoryIo('', { GITHUB_STEP_SUMMARY: summary }), r, files);
    expect(written).toEqual([files.index, files.html, files.junit, files.markdown]);
    expect(readFileSync(files.index, 'utf8')).toBe(readFileSync(files.html, 'utf8'));
    expect(readFileSync(files.index, 'utf8')).toMatch(/^<!DOCTYPE html>/);
    expect(readFileSync(files.junit, 'utf8')).toMatch(/^<\?xml/);
    const md = readFileSync(files.markdown, 'utf8');
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${md}\n`);
  });

  it('writes nothing when nothing is asked and no step summary is set', async () => {
    expect(await writeReports(memoryIo(), r, {})).toEqual([]);
  });

  it('fails with an exit-2 error naming an unwritable file, and only warns about an unwritable step summary', async () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, 'x');
    await expect(writeReports(memoryIo(), r, { junit: join(blocker, 'j.xml') })).rejects.toThrow(InputError);
    const io = memoryIo('', { GITHUB_STEP_SUMMARY: join(blocker, 'summary.md') });
    expect(await writeReports(io, r, {})).toEqual([]);
    expect(io.stderr.text).toMatch(/^logitfuzz: warning: cannot append to \$GITHUB_STEP_SUMMARY/);
  });
});
