/**
 * Hand-assembled WebAssembly SIMD kernels: the exact-scan dot products and the
 * STREAM-style read and triad. The text form of each function is in its doc
 * comment; the instruction lists below are that text, one line per node.
 */
import { type FunctionDef, assembleModule, op, type as t } from './wasm-encoder.js';

/** The part of the WebAssembly JS API used here (the Node typings omit it). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  validate(bytes: Uint8Array): boolean;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** One WebAssembly page. */
export const WASM_PAGE_BYTES = 65536;

/**
 * (func (export "dot_scores") (param $c i32) (param $q i32) (param $n i32) (param $dim i32) (param $out i32)
 *   (local $end i32) (local $j i32) (local $rowBytes i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
 *   (local.set $rowBytes (i32.mul (local.get $dim) (i32.const 4)))
 *   (local.set $end (i32.add (local.get $out) (i32.mul (local.get $n) (i32.const 4))))
 *   (block $done
 *     (br_if $done (i32.eqz (local.get $n)))
 *     (loop $row
 *       (local.set $a0 (v128.const i32x4 0 0 0 0)) … $a3
 *       (local.set $j (i32.const 0))
 *       (loop $inner   ;; 16 floats per turn, four independent accumulators
 *         (local.set $a0 (f32x4.add (local.get $a0)
 *           (f32x4.mul (v128.load offset=0 (i32.add (local.get $c) (local.get $j)))
 *                      (v128.load offset=0 (i32.add (local.get $q) (local.get $j))))))
 *         … $a1 offset=16, $a2 offset=32, $a3 offset=48
 *         (br_if $inner (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 64))) (local.get $rowBytes))))
 *       (local.set $a0 (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3))))
 *       (f32.store (local.get $out) (f32.add (f32.add lane0 lane1) (f32.add lane2 lane3)))
 *       (local.set $c (i32.add (local.get $c) (local.get $rowBytes)))
 *       (br_if $row (i32.lt_u (local.tee $out (i32.add (local.get $out) (i32.const 4))) (local.get $end))))))
 */
function dotScores(): FunctionDef {
  const [c, q, n, dim, out, end, j, rowBytes] = [0, 1, 2, 3, 4, 5, 6, 7];
  const acc = [8, 9, 10, 11];
  const accumulate = (a: number, offset: number) => [
    op.localGet(a),
    op.localGet(c), op.localGet(j), op.i32Add, op.v128Load(4, offset),
    op.localGet(q), op.localGet(j), op.i32Add, op.v128Load(4, offset),
    op.f32x4Mul, op.f32x4Add, op.localSet(a),
  ];
  return {
    exportName: 'dot_scores',
    params: [t.i32, t.i32, t.i32, t.i32, t.i32],
    results: [],
    locals: [t.i32, t.i32, t.i32, t.v128, t.v128, t.v128, t.v128],
    body: [
      op.localGet(dim), op.i32Const(4), op.i32Mul, op.localSet(rowBytes),
      op.localGet(out), op.localGet(n), op.i32Const(4), op.i32Mul, op.i32Add, op.localSet(end),
      op.block,
      op.localGet(n), op.i32Eqz, op.brIf(0),
      op.loop, // $row
      ...acc.flatMap((a) => [op.v128Zero, op.localSet(a)]),
      op.i32Const(0), op.localSet(j),
      op.loop, // $inner
      ...acc.flatMap((a, lane) => accumulate(a, lane * 16)),
      op.localGet(j), op.i32Const(64), op.i32Add, op.localTee(j), op.localGet(rowBytes), op.i32LtU, op.brIf(0),
      op.end,
      op.localGet(acc[0]), op.localGet(acc[1]), op.f32x4Add, op.localGet(acc[2]), op.localGet(acc[3]), op.f32x4Add, op.f32x4Add,
      op.localSet(acc[0]),
      op.localGet(out),
      op.localGet(acc[0]), op.f32x4ExtractLane(0), op.localGet(acc[0]), op.f32x4ExtractLane(1), op.f32Add,
      op.localGet(acc[0]), op.f32x4ExtractLane(2), op.localGet(acc[0]), op.f32x4ExtractLane(3), op.f32Add,
      op.f32Add,
      op.f32Store(2, 0),
      op.localGet(c), op.localGet(rowBytes), op.i32Add, op.localSet(c),
      op.localGet(out), op.i32Const(4), op.i32Add, op.localTee(out), op.localGet(end), op.i32LtU, op.brIf(0),
      op.end,
      op.end,
    ],
  };
}

/**
 * (func (export "stream_read") (param $p i32) (param $bytes i32) (result f32)
 *   (local $end i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
 *   (local.set $end (i32.add (local.get $p) (local.get $bytes)))
 *   (block $done
 *     (br_if $done (i32.eqz (local.get $bytes)))
 *     (loop $next   ;; 64 bytes per turn into four accumulators
 *       (local.set $a0 (f32x4.add (local.get $a0) (v128.load offset=0 (local.get $p))))
 *       … $a1 offset=16, $a2 offset=32, $a3 offset=48
 *       (br_if $next (i32.lt_u (local.tee $p (i32.add (local.get $p) (i32.const 64))) (local.get $end)))))
 *   (local.set $a0 (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3))))
 *   (f32.add (f32.add lane0 lane1) (f32.add lane2 lane3)))
 */
function streamRead(): FunctionDef {
  const [p, bytes, end] = [0, 1, 2];
  const acc = [3, 4, 5, 6];
  return {
    exportName: 'stream_read',
    params: [t.i32, t.i32],
    results: [t.f32],
    locals: [t.i32, t.v128, t.v128, t.v128, t.v128],
    body: [
      op.localGet(p), op.localGet(bytes), op.i32Add, op.localSet(end),
      op.block,
      op.localGet(bytes), op.i32Eqz, op.brIf(0),
      op.loop,
      ...acc.flatMap((a, lane) => [op.localGet(a), op.localGet(p), op.v128Load(4, lane * 16), op.f32x4Add, op.localSet(a)]),
      op.localGet(p), op.i32Const(64), op.i32Add, op.localTee(p), op.localGet(end), op.i32LtU, op.brIf(0),
      op.end,
      op.end,
      op.localGet(acc[0]), op.localGet(acc[1]), op.f32x4Add, op.localGet(acc[2]), op.localGet(acc[3]), op.f32x4Add, op.f32x4Add,
      op.localSet(acc[0]),
      op.localGet(acc[0]), op.f32x4ExtractLane(0), op.localGet(acc[0]), op.f32x4ExtractLane(1), op.f32Add,
      op.localGet(acc[0]), op.f32x4ExtractLane(2), op.localGet(acc[0]), op.f32x4ExtractLane(3), op.f32Add,
      op.f32Add,
    ],
  };
}

/**
 * STREAM triad on float64, a[i] = b[i] + s·c[i], 32 bytes per turn.
 * (func (export "stream_triad") (param $a i32) (param $b i32) (param $c i32) (param $bytes i32) (param $s f64)
 *   (local $i i32) (local $sv v128)
 *   (local.set $sv (f64x2.splat (local.get $s)))
 *   (block $done
 *     (br_if $done (i32.eqz (local.get $bytes)))
 *     (loop $next
 *       (v128.store offset=0 (i32.add (local.get $a) (local.get $i))
 *         (f64x2.add (v128.load offset=0 (i32.add (local.get $b) (local.get $i)))
 *                    (f64x2.mul (local.get $sv) (v128.load offset=0 (i32.add (local.get $c) (local.get $i))))))
 *       … the same at offset=16
 *       (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 32))) (local.get $bytes))))))
 */
function streamTriad(): FunctionDef {
  const [a, b, c, bytes, s, i, sv] = [0, 1, 2, 3, 4, 5, 6];
  const triadAt = (offset: number) => [
    op.localGet(a), op.localGet(i), op.i32Add,
    op.localGet(b), op.localGet(i), op.i32Add, op.v128Load(4, offset),
    op.localGet(sv),
    op.localGet(c), op.localGet(i), op.i32Add, op.v128Load(4, offset),
    op.f64x2Mul, op.f64x2Add,
    op.v128Store(4, offset),
  ];
  return {
    exportName: 'stream_triad',
    params: [t.i32, t.i32, t.i32, t.i32, t.f64],
    results: [],
    locals: [t.i32, t.v128],
    body: [
      op.localGet(s), op.f64x2Splat, op.localSet(sv),
      op.block,
      op.localGet(bytes), op.i32Eqz, op.brIf(0),
      op.loop,
      ...triadAt(0),
      ...triadAt(16),
      op.localGet(i), op.i32Const(32), op.i32Add, op.localTee(i), op.localGet(bytes), op.i32LtU, op.brIf(0),
      op.end,
      op.end,
    ],
  };
}

/** The module bytes, assembled once per isolate. */
export function simdModuleBytes(): Uint8Array {
  return assembleModule([dotScores(), streamRead(), streamTriad()]);
}

/** True when this engine accepts the SIMD module (fixed-width SIMD, shipped in V8 9.1 / Node 16.4). */
export function wasmSimdSupported(): boolean {
  try {
    return wasmApi.validate(simdModuleBytes());
  } catch {
    return false;
  }
}

/** The instantiated kernels and the linear memory they work on. */
export interface SimdKernels {
  readonly memory: WasmMemory;
  /** out[i] = corpus[i]·query; byte offsets, 16-byte aligned; dim a multiple of 16. */
  dotScores(corpusOffset: number, queryOffset: number, count: number, dim: number, outOffset: number): void;
  /** Sum of `bytes` bytes read as float32 lanes; bytes a multiple of 64. */
  streamRead(offset: number, bytes: number): number;
  /** a = b + s·c over `bytes` bytes of float64; bytes a multiple of 32. */
  streamTriad(aOffset: number, bOffset: number, cOffset: number, bytes: number, scalar: number): void;
}

/** Rounds up to a multiple of 64 bytes (a cache line; also keeps v128 loads aligned). */
export function align64(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}

/** Instantiates the kernels over a fresh memory of at least `bytes` bytes (at most 4 GiB). */
export function instantiateSimd(bytes: number): SimdKernels {
  const pages = Math.max(1, Math.ceil(bytes / WASM_PAGE_BYTES));
  if (pages > 65536) throw new Error(`wasm memory of ${bytes} bytes exceeds the 4 GiB limit of wasm32`);
  const memory = new wasmApi.Memory({ initial: pages });
  const instance = new wasmApi.Instance(new wasmApi.Module(simdModuleBytes()), { env: { memory } });
  const exports = instance.exports as {
    dot_scores: (c: number, q: number, n: number, dim: number, out: number) => void;
    stream_read: (p: number, bytes: number) => number;
    stream_triad: (a: number, b: number, c: number, bytes: number, s: number) => void;
  };
  return {
    memory,
    dotScores(corpusOffset, queryOffset, count, dim, outOffset) {
      if (dim % 16 !== 0) throw new Error(`dot_scores needs dim to be a multiple of 16, got ${dim}`);
      exports.dot_scores(corpusOffset, queryOffset, count, dim, outOffset);
    },
    streamRead(offset, bytes) {
      if (bytes % 64 !== 0) throw new Error(`stream_read needs a multiple of 64 bytes, got ${bytes}`);
      return exports.stream_read(offset, bytes);
    },
    streamTriad(aOffset, bOffset, cOffset, bytes, scalar) {
      if (bytes % 32 !== 0) throw new Error(`stream_triad needs a multiple of 32 bytes, got ${bytes}`);
      exports.stream_triad(aOffset, bOffset, cOffset, bytes, scalar);
    },
  };
}
