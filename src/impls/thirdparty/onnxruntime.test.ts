import { adapterSuite } from './_testutil/adapterSuite.js';
import { onnxruntimeImplementations } from './onnxruntime.js';

adapterSuite('onnxruntime-node', () => onnxruntimeImplementations('onnxruntime-node'));
adapterSuite('onnxruntime-web', () => onnxruntimeImplementations('onnxruntime-web'));
