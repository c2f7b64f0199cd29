import { onnxruntimeImplementations } from './onnxruntime.js';
import { tfjsImplementations } from './tfjs.js';
import type { ThirdPartyImplementation } from './types.js';

export { type ThirdPartyImplementation } from './types.js';
/**
 * Every third-party adapter (issue 3 item 4), f32:
 * - TensorFlow.js softmax / log_softmax / logsumexp on the cpu ('js'), wasm ('wasm') and webgpu
 *   ('webgpu') backends;
 * - onnxruntime Softmax / LogSoftmax on onnxruntime-node ('native', CPU) and onnxruntime-web
 *   ('wasm').
 * Constructing them loads nothing: each library is imported by `setup`, which throws
 * `Unavailable` (with the install command) when it is missing.
 */
export function thirdPartyImplementations(): ThirdPartyImplementation[] {
  return [
    ...tfjsImplementations('cpu'),
    ...tfjsImplementations('wasm'),
    ...tfjsImplementations('webgpu'),
    ...onnxruntimeImplementations('onnxruntime-node'),
    ...onnxruntimeImplementations('onnxruntime-web'),
  ];
}
