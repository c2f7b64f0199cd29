import { ProtoWriter } from './protobuf.js';

/** The ONNX ops the onnxruntime adapters run. */
export type OnnxSoftmaxOp = 'Softmax' | 'LogSoftmax';

/** Names of the model's graph input and output. */
export const ONNX_INPUT = 'x';
export const ONNX_OUTPUT = 'y';

// Field numbers, from onnx/onnx.proto (checked against the generated decoder shipped in
// onnxruntime-web 1.30.0, lib/onnxjs/ort-schema/protobuf/onnx.js):
//   ModelProto:          ir_version = 1 (int64), opset_import = 8 (OperatorSetIdProto),
//                        producer_name = 2 (string), graph = 7 (GraphProto)
//   OperatorSetIdProto:  domain = 1 (string), version = 2 (int64)
//   GraphProto:          node = 1 (NodeProto), name = 2 (string), input = 11, output = 12
//                        (ValueInfoProto)
//   NodeProto:           input = 1, output = 2, name = 3, op_type = 4 (string),
//                        attribute = 5 (AttributeProto), domain = 7 (string)
//   AttributeProto:      name = 1 (string), i = 3 (int64), type = 20 (AttributeType enum;
//                        INT = 2)
//   ValueInfoProto:      name = 1 (string), type = 2 (TypeProto)
//   TypeProto:           tensor_type = 1 (TypeProto.Tensor)
//   TypeProto.Tensor:    elem_type = 1 (int32, TensorProto.DataType; FLOAT = 1),
//                        shape = 2 (TensorShapeProto)
//   TensorShapeProto:    dim = 1 (Dimension)
//   Dimension:           dim_value = 1 (int64), dim_param = 2 (string)
const MODEL = { irVersion: 1, producerName: 2, graph: 7, opsetImport: 8 } as const;
const OPSET = { domain: 1, version: 2 } as const;
const GRAPH = { node: 1, name: 2, input: 11, output: 12 } as const;
const NODE = { input: 1, output: 2, name: 3, opType: 4, attribute: 5, domain: 7 } as const;
const ATTRIBUTE = { name: 1, i: 3, type: 20 } as const;
const ATTRIBUTE_TYPE_INT = 2;
const VALUE_INFO = { name: 1, type: 2 } as const;
const TYPE = { tensorType: 1 } as const;
const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
const DATA_TYPE_FLOAT = 1;
const SHAPE = { dim: 1 } as const;
const DIMENSION = { dimValue: 1, dimParam: 2 } as const;

/** IR version 8 (IR_VERSION_2021_7_30): understood by every onnxruntime since 1.10. */
export const ONNX_IR_VERSION = 8;
/** Opset 13: Softmax and LogSoftmax take `axis` (default −1) and normalise along that axis only. */
export const ONNX_OPSET = 13;

/** A float tensor [batch, n] with both dimensions symbolic. */
function floatMatrix(w: ProtoWriter, name: string): void {
  w.string(VALUE_INFO.name, name).message(VALUE_INFO.type, (t) =>
    t.message(TYPE.tensorType, (tt) =>
      tt
        .int(TENSOR_TYPE.elemType, DATA_TYPE_FLOAT)
        .message(TENSOR_TYPE.shape, (s) =>
          s
            .message(SHAPE.dim, (d) => d.string(DIMENSION.dimParam, 'batch'))
            .message(SHAPE.dim, (d) => d.string(DIMENSION.dimParam, 'n')),
        ),
    ),
  );
}

/**
 * The bytes of an ONNX ModelProto with one node, `y = op(x, axis = −1)`, x and y float32
 * [batch, n] (symbolic), IR version 8, default-domain opset 13. Built in code: no model file.
 */
export function onnxSoftmaxModel(op: OnnxSoftmaxOp): Uint8Array {
  return new ProtoWriter()
    .int(MODEL.irVersion, ONNX_IR_VERSION)
    .string(MODEL.producerName, 'logitfuzz')
    .message(MODEL.opsetImport, (o) => o.string(OPSET.domain, '').int(OPSET.version, ONNX_OPSET))
    .message(MODEL.graph, (g) =>
      g
        .message(GRAPH.node, (n) =>
          n
            .string(NODE.input, ONNX_INPUT)
            .string(NODE.output, ONNX_OUTPUT)
            .string(NODE.name, op.toLowerCase())
            .string(NODE.opType, op)
            .string(NODE.domain, '')
            .message(NODE.attribute, (a) =>
              a.string(ATTRIBUTE.name, 'axis').int(ATTRIBUTE.i, -1).int(ATTRIBUTE.type, ATTRIBUTE_TYPE_INT),
            ),
        )
        .string(GRAPH.name, `logitfuzz_${op}`)
        .message(GRAPH.input, (v) => floatMatrix(v, ONNX_INPUT))
        .message(GRAPH.output, (v) => floatMatrix(v, ONNX_OUTPUT)),
    )
    .finish();
}
