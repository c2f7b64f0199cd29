import { writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import type { OracleBenchResult } from '../../bench/oracle.bench.js';
import type { OracleCliBenchResult } from '../../bench/oracleCli.bench.js';
import type { OracleOpsBenchResult } from '../../bench/oracleOps.bench.js';
import type { CampaignBenchResult, GpuKernelBenchRow, ImplBenchResult } from '../../bench/impls.bench.js';
import type { SearchBenchResult } from '../../bench/search.bench.js';
import type { ShapesBenchResult } from '../../bench/shapes.bench.js';
import { parseArgs, type FlagSpecs } from './args.js';
import type { Command } from './command.js';
import { formatHelp } from './help.js';
import { write } from './io.js';

const FLAGS = {
  quick: {
    type: 'boolean',
    help: 'one sample per measurement and fewer rows (a smoke run, not figures to quote)',
  },
  seed: {
    type: 'integer',
    value: 'N',
    min: 0,
    max: 2 ** 32 - 1,
    help: "seed of the logit generator (default: the benchmark's own, so runs compare)",
  },
  json: {
    type: 'string',
    value: 'FILE',
    help: 'also write every result to FILE as JSON (schema logitfuzz/bench@1)',
  },
} as const satisfies FlagSpecs;

/** Schema tag of the `--json` file. */
export const BENCH_SCHEMA = 'logitfuzz/bench@1';

/**
 * What `logitfuzz bench --json FILE` writes: every benchmark's result as its `run…` function
 * returned it (rates, medians of mitata's samples, sample counts, cross-checks), with the
 * machine it ran on. The tables printed are `format…` of the same values.
 */
export interface BenchRecord {
  readonly schema: typeof BENCH_SCHEMA;
  readonly startedAt: string;
  readonly seconds: number;
  readonly quick: boolean;
  readonly machine: {
    readonly node: string;
    readonly platform: string;
    readonly arch: string;
    readonly cpu: string;
    readonly cores: number;
  };
  readonly oracle: OracleBenchResult;
  readonly oracleOps: OracleOpsBenchResult;
  readonly oracleCli: OracleCliBenchResult;
  readonly impls: ImplBenchResult;
  readonly campaign: CampaignBenchResult;
  readonly gpuKernels: readonly GpuKernelBenchRow[];
  readonly shapes: ShapesBenchResult;
  readonly search: SearchBenchResult;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run the benchmarks in bench/ and print their tables',
  help: formatHelp({
    name: 'bench',
    synopsis: '[--quick] [--seed N] [--json FILE]',
    description: [
      "Runs the mitata benchmarks in bench/ and prints their tables: the correctly rounded oracle's throughput beside fixed-precision multiprecision references (each cross-checked against the oracle), by op and format with the phase that decided each element and its cost over the zoo's max-shifted softmax, through the CLI against an MPFR program, then the zoo, the campaign with 1 and 2 workers, WebGPU kernels, shapes and search. `npm run bench` builds and runs this; `npm run bench -- --json FILE` also writes the results as JSON.",
    ],
    flags: FLAGS,
    examples: ['logitfuzz bench', 'logitfuzz bench --quick', 'logitfuzz bench --json bench.json'],
  }),
  async run(argv, io) {
    const { flags } = parseArgs(argv, FLAGS, { command: 'bench' });
    const started = new Date();
    const t0 = performance.now();
    const quick = flags.quick;
    const seed = flags.seed === undefined ? {} : { seed: flags.seed };
    // imported here, not at the top, so other commands do not load mitata and the benchmarks;
    // '../../bench' is right from src/cli (tests) and from dist/src/cli (the bin) alike, since
    // tsconfig.build.json compiles bench/ next to src/ under dist/
    const bench = await import('../../bench/oracle.bench.js');
    const oracle = await bench.runOracleBench({ quick, ...seed });
    await write(io.stdout, bench.formatOracleBench(oracle).trimEnd() + '\n\n');
    const ops = await import('../../bench/oracleOps.bench.js');
    const oracleOps = await ops.runOracleOpsBench({ quick, ...seed });
    await write(io.stdout, ops.formatOracleOpsBench(oracleOps) + '\n');
    const cli = await import('../../bench/oracleCli.bench.js');
    const oracleCli = cli.runOracleCliBench({ quick, ...seed });
    await write(io.stdout, cli.formatOracleCliBench(oracleCli) + '\n');
    const impls = await import('../../bench/impls.bench.js');
    const implsResult = await impls.runImplsBench({ quick });
    await write(io.stdout, impls.formatImplsBench(implsResult) + '\n');
    const campaign = await impls.runCampaignBench({ quick });
    await write(io.stdout, impls.formatCampaignBench(campaign) + '\n');
    const gpuKernels = await impls.runGpuKernelBench({ quick });
    await write(io.stdout, impls.formatGpuKernelBench(gpuKernels) + '\n');
    const shapesBench = await import('../../bench/shapes.bench.js');
    const shapes = await shapesBench.runShapesBench({ quick });
    await write(io.stdout, shapesBench.formatShapesBench(shapes) + '\n');
    const searchBench = await import('../../bench/search.bench.js');
    const search = await searchBench.runSearchBench({ quick });
    await write(io.stdout, searchBench.formatSearchBench(search));
    if (flags.json !== undefined) {
      const record: BenchRecord = {
        schema: BENCH_SCHEMA,
        startedAt: started.toISOString(),
        seconds: (performance.now() - t0) / 1000,
        quick,
        machine: {
          node: process.version,
          platform: process.platform,
          arch: process.arch,
          cpu: cpus()[0]?.model ?? 'unknown',
          cores: availableParallelism(),
        },
        oracle,
        oracleOps,
        oracleCli,
        impls: implsResult,
        campaign,
        gpuKernels,
        shapes,
        search,
      };
      await writeFile(flags.json, JSON.stringify(record, null, 1) + '\n');
    }
    return 0;
  },
};
