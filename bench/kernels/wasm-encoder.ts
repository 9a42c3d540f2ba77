/**
 * The few pieces of the WebAssembly binary format the SIMD kernels need
 * (spec: https://webassembly.github.io/spec/core/binary/). No toolchain is
 * installed here, and these ~100 lines are easier to audit than a vendored
 * assembler. Opcode values are from the core spec (MVP) and the fixed-width
 * SIMD proposal (prefix 0xFD followed by a LEB128 sub-opcode).
 */

/** Unsigned LEB128. */
export function u32(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (rest !== 0);
  return bytes;
}

/** Signed LEB128 (for i32.const immediates). */
export function s32(value: number): number[] {
  const bytes: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

/** A length-prefixed vector of already-encoded items. */
export function vec(items: readonly number[][]): number[] {
  return [...u32(items.length), ...items.flat()];
}

/** A UTF-8 name. */
export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...u32(bytes.length), ...bytes];
}

/** A section: id, byte size, contents. */
export function section(id: number, contents: readonly number[]): number[] {
  return [id, ...u32(contents.length), ...contents];
}

/** Value types. */
export const type = { i32: 0x7f, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;

/** Section ids. */
export const sectionId = { type: 1, import: 2, function: 3, export: 7, code: 10 } as const;

/** Instructions used by the kernels. `memarg` is (log2 alignment, offset). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...u32(depth)],
  brIf: (depth: number) => [0x0d, ...u32(depth)],
  localGet: (index: number) => [0x20, ...u32(index)],
  localSet: (index: number) => [0x21, ...u32(index)],
  localTee: (index: number) => [0x22, ...u32(index)],
  i32Const: (value: number) => [0x41, ...s32(value)],
  i32Eqz: [0x45],
  i32LtU: [0x49],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  f32Add: [0x92],
  f32Store: (align: number, offset: number) => [0x38, ...u32(align), ...u32(offset)],
  v128Load: (align: number, offset: number) => [0xfd, ...u32(0x00), ...u32(align), ...u32(offset)],
  v128Store: (align: number, offset: number) => [0xfd, ...u32(0x0b), ...u32(align), ...u32(offset)],
  v128Zero: [0xfd, ...u32(0x0c), ...new Array<number>(16).fill(0)],
  f32x4ExtractLane: (lane: number) => [0xfd, ...u32(0x1f), lane],
  f64x2Splat: [0xfd, ...u32(0x14)],
  f32x4Add: [0xfd, ...u32(0xe4)],
  f32x4Mul: [0xfd, ...u32(0xe6)],
  f64x2Add: [0xfd, ...u32(0xf0)],
  f64x2Mul: [0xfd, ...u32(0xf2)],
} as const;

/** One function: signature index, extra locals (grouped by type), body. */
export interface FunctionDef {
  readonly exportName: string;
  readonly params: readonly number[];
  readonly results: readonly number[];
  readonly locals: readonly number[];
  readonly body: readonly (readonly number[])[];
}

/** Assembles a module importing `env.memory` and exporting each function. */
export function assembleModule(functions: readonly FunctionDef[]): Uint8Array {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((p) => [p])), ...vec(f.results.map((r) => [r]))]);
  const memoryImport = [...name('env'), ...name('memory'), 0x02, 0x00, ...u32(1)]; // memory, limits {min: 1}
  const funcs = functions.map((_, i) => u32(i));
  const exports = functions.map((f, i) => [...name(f.exportName), 0x00, ...u32(i)]);
  const codes = functions.map((f) => {
    const localGroups = f.locals.map((t) => [...u32(1), t]);
    const body = [...vec(localGroups), ...f.body.flat(), ...op.end];
    return [...u32(body.length), ...body];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, // magic "\0asm"
    0x01, 0x00, 0x00, 0x00, // version 1
    ...section(sectionId.type, vec(types)),
    ...section(sectionId.import, vec([memoryImport])),
    ...section(sectionId.function, vec(funcs)),
    ...section(sectionId.export, vec(exports)),
    ...section(sectionId.code, vec(codes)),
  ]);
}
