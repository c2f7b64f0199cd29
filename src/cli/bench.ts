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
} as const satisfies FlagSpecs;

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run the benchmarks in bench/ and print their tables',
  help: formatHelp({
    name: 'bench',
    synopsis: '[--quick] [--seed N]',
    description: [
      "Runs the mitata benchmarks in bench/ and prints their tables: the correctly rounded oracle's throughput beside fixed-precision multiprecision references, each cross-checked against the oracle before it is timed. `npm run bench` builds and runs this.",
    ],
    flags: FLAGS,
    examples: ['logitfuzz bench', 'logitfuzz bench --quick'],
  }),
  async run(argv, io) {
    const { flags } = parseArgs(argv, FLAGS, { command: 'bench' });
    // imported here, not at the top, so other commands do not load mitata and the benchmarks;
    // '../../bench' is right from src/cli (tests) and from dist/src/cli (the bin) alike, since
    // tsconfig.build.json compiles bench/ next to src/ under dist/
    const bench = await import('../../bench/oracle.bench.js');
    const result = await bench.runOracleBench({
      quick: flags.quick,
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    });
    await write(io.stdout, bench.formatOracleBench(result).trimEnd() + '\n\n');
    const impls = await import('../../bench/impls.bench.js');
    await write(io.stdout, impls.formatImplsBench(await impls.runImplsBench({ quick: flags.quick })) + '\n');
    await write(
      io.stdout,
      impls.formatCampaignBench(await impls.runCampaignBench({ quick: flags.quick })) + '\n',
    );
    await write(
      io.stdout,
      impls.formatGpuKernelBench(await impls.runGpuKernelBench({ quick: flags.quick })) + '\n',
    );
    const shapes = await import('../../bench/shapes.bench.js');
    await write(
      io.stdout,
      shapes.formatShapesBench(await shapes.runShapesBench({ quick: flags.quick })) + '\n',
    );
    const search = await import('../../bench/search.bench.js');
    await write(io.stdout, search.formatSearchBench(await search.runSearchBench({ quick: flags.quick })));
    return 0;
  },
};
