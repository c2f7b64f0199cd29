import { execImplementation } from '../impls/exec.js';
import { tableImplementation } from '../impls/table.js';
import { loadUserFunction, userImplementation } from '../impls/load.js';
import type { AnyImplementation, Implementation } from '../impls/types.js';
import type { ImplSpec } from './implSpec.js';

let zoo: Map<string, Implementation> | undefined;

/**
 * Turns a spec into an Implementation inside the process that will run it.
 * Throws (LoadError for modules, a plain Error for an unknown built-in name).
 */
export async function resolveImpl(spec: ImplSpec): Promise<AnyImplementation> {
  switch (spec.kind) {
    case 'builtin': {
      // imported on demand: the zoo is most of a worker's start-up, which a worker vetting a
      // module pays again each time the module kills it
      const { allImplementations } = await import('../impls/registry.js');
      zoo ??= new Map(allImplementations().map((i) => [i.name, i]));
      const impl = zoo.get(spec.name);
      if (!impl) throw new Error(`no built-in implementation named '${spec.name}' (see logitfuzz list)`);
      return impl;
    }
    case 'module':
      if (spec.browser) {
        // imported on demand: playwright-core and esbuild are for the browser only
        const { browserUserImplementation } = await import('../impls/browser/module.js');
        return browserUserImplementation(spec.name, spec.path, spec.op, spec.format, spec.exportName);
      }
      return userImplementation(
        spec.name,
        await loadUserFunction(spec.path, spec.op, spec.exportName),
        spec.op,
        spec.format,
        `export of ${spec.path}`,
      );
    case 'exec':
      return execImplementation(spec.name, spec.command, spec.op, spec.format, spec.batch);
    case 'table':
      return tableImplementation(spec.name, spec.casesFile, spec.outputsFile, spec.op, spec.format);
  }
}
