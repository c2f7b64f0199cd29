import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { packageDir } from './load.js';
import { ONNX_INPUT, ONNX_IR_VERSION, ONNX_OPSET, ONNX_OUTPUT, onnxSoftmaxModel } from './onnxModel.js';

// An independent check of the hand encoding: decode it with the protobufjs decoder generated from
// onnx.proto that onnxruntime-web ships (lib/onnxjs/ort-schema/protobuf/onnx.js). (That the
// runtimes accept the model and compute the right op is checked in onnxruntime.test.ts.)
const webDir = packageDir('onnxruntime-web');
const decoderPath =
  webDir === null ? null : join(webDir, 'lib', 'onnxjs', 'ort-schema', 'protobuf', 'onnx.js');
const hasDecoder = decoderPath !== null && existsSync(decoderPath);

interface Decoded {
  irVersion: unknown;
  opsetImport: { domain?: string; version: unknown }[];
  graph: {
    node: {
      input: string[];
      output: string[];
      opType: string;
      domain?: string;
      attribute: { name: string; type: number; i: unknown }[];
    }[];
    input: ValueInfo[];
    output: ValueInfo[];
  };
}
interface ValueInfo {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: { dimParam?: string; dimValue?: unknown }[] } } };
}

describe.skipIf(!hasDecoder)("onnxSoftmaxModel, decoded by onnx.proto's generated decoder", () => {
  for (const op of ['Softmax', 'LogSoftmax'] as const) {
    test(op, () => {
      const onnx = (
        createRequire(import.meta.url)(decoderPath as string) as {
          onnx: { ModelProto: { decode(b: Uint8Array): Decoded } };
        }
      ).onnx;
      const m = onnx.ModelProto.decode(onnxSoftmaxModel(op));
      expect(Number(m.irVersion)).toBe(ONNX_IR_VERSION);
      expect(m.opsetImport).toHaveLength(1);
      expect(m.opsetImport[0].domain ?? '').toBe('');
      expect(Number(m.opsetImport[0].version)).toBe(ONNX_OPSET);
      expect(m.graph.node).toHaveLength(1);
      const node = m.graph.node[0];
      expect(node.opType).toBe(op);
      expect(node.input).toEqual([ONNX_INPUT]);
      expect(node.output).toEqual([ONNX_OUTPUT]);
      expect(node.attribute).toHaveLength(1);
      expect(node.attribute[0].name).toBe('axis');
      expect(node.attribute[0].type).toBe(2); // AttributeType.INT
      expect(Number(node.attribute[0].i)).toBe(-1); // decoded from the 10-byte two's complement
      for (const [v, name] of [
        [m.graph.input, ONNX_INPUT],
        [m.graph.output, ONNX_OUTPUT],
      ] as const) {
        expect(v).toHaveLength(1);
        expect(v[0].name).toBe(name);
        expect(v[0].type.tensorType.elemType).toBe(1); // TensorProto.FLOAT
        expect(v[0].type.tensorType.shape.dim.map((d) => d.dimParam)).toEqual(['batch', 'n']);
      }
    });
  }
});
