import type { FormatName } from '../vocabulary/FormatName.js';
import type { Op } from '../vocabulary/Op.js';

/**
 * How a worker process obtains an implementation. Specs are plain data so they cross the process
 * boundary; the worker turns them into `Implementation`s (see resolveImpl.ts).
 * - `builtin`: a zoo implementation by its registry name;
 * - `module`: an ES module's export, the `vet MODULE` case (in a browser page with `browser`);
 * - `exec`: a program speaking JSON lines on stdin/stdout, the `vet --exec CMD` case;
 * - `table`: answers computed offline (`cases export`, then `score CASES OUTPUTS`), looked up by input.
 */
export type ImplSpec =
  | { readonly kind: 'builtin'; readonly name: string }
  | {
      readonly kind: 'module';
      readonly name: string;
      readonly path: string;
      readonly exportName?: string;
      readonly op: Op;
      readonly format: FormatName;
      /** `vet --browser MODULE`: the module runs in a Chromium page (src/impls/browser/module.ts). */
      readonly browser?: boolean;
    }
  | {
      readonly kind: 'exec';
      readonly name: string;
      readonly command: string;
      readonly op: Op;
      readonly format: FormatName;
      /** `vet --exec CMD --batch`: one request per batch (`shape` [B, n], flat `x`), not per row. */
      readonly batch?: boolean;
    }
  | {
      readonly kind: 'table';
      readonly name: string;
      readonly casesFile: string;
      readonly outputsFile: string;
      readonly op: Op;
      readonly format: FormatName;
    };
