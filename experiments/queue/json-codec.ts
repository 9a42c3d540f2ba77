/**
 * Task data as JSON, losslessly. BullMQ stores a job's data with
 * JSON.stringify, which a compiled model does not survive: an unlimited
 * deadline is Infinity (JSON writes null), a trace's timestamps may be a
 * typed array (JSON writes an object of indices), −0 comes back as 0 and a
 * field set to undefined vanishes. Each of these travels as a tagged object
 * `{ "$coordgapJson": kind, … }` and is rebuilt on the way out; anything else
 * that is not plain data is refused, naming its field. The worker recomputes
 * the model's digest from what it decoded (job-protocol.ts), so a codec that
 * lost anything would fail the job, not change a result.
 */
const TAG = '$coordgapJson';

const TYPED_ARRAYS = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;

function isPlain(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `value` in a form JSON.stringify keeps exactly; throws naming the field of anything it cannot carry. */
export function toJsonSafe(value: unknown, path = ''): unknown {
  switch (typeof value) {
    case 'number':
      if (Number.isNaN(value)) return { [TAG]: 'NaN' };
      if (value === Infinity) return { [TAG]: 'Infinity' };
      if (value === -Infinity) return { [TAG]: '-Infinity' };
      if (Object.is(value, -0)) return { [TAG]: '-0' };
      return value;
    case 'undefined':
      return { [TAG]: 'undefined' };
    case 'string':
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      throw new Error(`field ${path || '(top)'} is a ${typeof value}: only data can go on the queue`);
  }
  if (value === null) return null;
  if (ArrayBuffer.isView(value)) {
    const name = value.constructor.name;
    if (!(name in TYPED_ARRAYS)) throw new Error(`field ${path} is a ${name}: not a typed array the queue carries`);
    return { [TAG]: name, values: Array.from(value as unknown as ArrayLike<number>, (x, i) => toJsonSafe(x, `${path}[${i}]`)) };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) throw new Error(`field ${path}[${i}] is a hole in an array: only dense arrays go on the queue`);
      out.push(toJsonSafe(value[i], `${path}[${i}]`));
    }
    return out;
  }
  if (!isPlain(value)) throw new Error(`field ${path || '(top)'} is a ${value.constructor?.name ?? 'class instance'}: only plain data can go on the queue`);
  if (TAG in value) throw new Error(`field ${path || '(top)'} has a key named ${TAG}, which the queue's encoding reserves`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = toJsonSafe(v, path === '' ? k : `${path}.${k}`);
  return out;
}

/** The value toJsonSafe encoded, rebuilt; throws naming the field of a tag it does not know. */
export function fromJsonSafe(value: unknown, path = ''): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v, i) => fromJsonSafe(v, `${path}[${i}]`));
  const record = value as Record<string, unknown>;
  if (TAG in record) {
    const kind = record[TAG];
    switch (kind) {
      case 'NaN':
        return NaN;
      case 'Infinity':
        return Infinity;
      case '-Infinity':
        return -Infinity;
      case '-0':
        return -0;
      case 'undefined':
        return undefined;
    }
    if (typeof kind === 'string' && Object.hasOwn(TYPED_ARRAYS, kind) && Array.isArray(record.values)) {
      const values = record.values.map((v, i) => fromJsonSafe(v, `${path}[${i}]`));
      if (values.some((v) => typeof v !== 'number')) throw new Error(`field ${path}: a ${kind} holds something other than numbers`);
      return TYPED_ARRAYS[kind as TypedArrayName].from(values as number[]);
    }
    throw new Error(`field ${path || '(top)'}: unknown encoded value ${JSON.stringify(kind)}`);
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) {
    // JSON.parse makes "__proto__" an own key; assigned, it would set the object's prototype.
    if (k === '__proto__') throw new Error(`field ${path || '(top)'} has a key named __proto__, which no task has`);
    out[k] = fromJsonSafe(v, path === '' ? k : `${path}.${k}`);
  }
  return out;
}
