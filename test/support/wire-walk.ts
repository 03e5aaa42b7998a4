/**
 * A protobuf wire-format walker written by hand from the encoding spec, so the golden
 * tests check field numbers without trusting either synap.proto or the code generated
 * from it. It knows tags and wire types only, never message schemas.
 */
export type WireValue =
  | { field: number; wireType: 0; value: bigint }
  | { field: number; wireType: 1; value: Uint8Array }
  | { field: number; wireType: 2; value: Uint8Array }
  | { field: number; wireType: 5; value: Uint8Array };

export function walk(bytes: Uint8Array): WireValue[] {
  const out: WireValue[] = [];
  let offset = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  const take = (length: number): Uint8Array => {
    if (offset + length > bytes.length) throw new Error('truncated field');
    const slice = bytes.subarray(offset, offset + length);
    offset += length;
    return slice;
  };
  while (offset < bytes.length) {
    const tag = Number(varint());
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === 0) out.push({ field, wireType, value: varint() });
    else if (wireType === 1) out.push({ field, wireType, value: take(8) });
    else if (wireType === 2) out.push({ field, wireType, value: take(Number(varint())) });
    else if (wireType === 5) out.push({ field, wireType, value: take(4) });
    else throw new Error(`unsupported wire type ${wireType} for field ${field}`);
  }
  return out;
}

/** The single field with this number; fails if it is missing or repeated. */
export function one(values: WireValue[], field: number): WireValue {
  const found = values.filter((value) => value.field === field);
  if (found.length !== 1) throw new Error(`field ${field}: expected once, found ${found.length}`);
  return found[0] as WireValue;
}

export function text(value: WireValue): string {
  if (value.wireType !== 2) throw new Error(`field ${value.field} is not length-delimited`);
  return new TextDecoder().decode(value.value);
}

export function float32(value: WireValue): number {
  if (value.wireType !== 5) throw new Error(`field ${value.field} is not fixed32`);
  return new DataView(value.value.buffer, value.value.byteOffset, 4).getFloat32(0, true);
}

export function fieldNumbers(values: WireValue[]): number[] {
  return [...new Set(values.map((value) => value.field))].sort((a, b) => a - b);
}

/** Map entries are messages with the key in field 1 and the value in field 2. */
export function mapEntries(values: WireValue[], field: number): Map<string, WireValue> {
  const entries = new Map<string, WireValue>();
  for (const entry of values.filter((value) => value.field === field)) {
    if (entry.wireType !== 2) throw new Error(`map field ${field} is not length-delimited`);
    const inner = walk(entry.value);
    entries.set(text(one(inner, 1)), one(inner, 2));
  }
  return entries;
}
