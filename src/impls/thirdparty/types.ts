import type { Implementation } from '../types.js';

/**
 * Loads a module by specifier, as `import(specifier)` does. The adapters take one as a parameter
 * so that tests can simulate a missing library; the default (`defaultImporter` in load.ts) loads
 * from the folder of libraries under test, falling back to a plain `import()`.
 */
export type Importer = (specifier: string) => Promise<unknown>;

/**
 * A third-party library under test. `library` records, for provenance, the package(s) and the
 * version(s) read from their package.json, e.g. '@tensorflow/tfjs-core@4.22.0 +
 * @tensorflow/tfjs-backend-cpu@4.22.0', or 'onnxruntime-node (not installed)'.
 */
export interface ThirdPartyImplementation extends Implementation {
  readonly library: string;
}
