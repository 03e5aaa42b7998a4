import fc from 'fast-check';

/**
 * Arbitraries for hostile input: values of every JSON type, strings of every kind
 * (unicode, lone surrogates, control characters, path tricks, huge), nested junk, and
 * objects derived from a valid one with fields missing, retyped or added.
 */

/** Lone surrogates become U+FFFD, as any UTF-8 encoder (and a URL) would carry them. */
export const wellFormed = (value: string): string =>
  value.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );

/**
 * Random strings leave out U+0000 and lone surrogates: PostgreSQL text cannot hold the
 * first, nor jsonb the escape of the second, so the server refuses both at the edge
 * (tested on their own in rest-bodies and listen-events), and random inputs that held
 * them would test only that refusal. Everything else goes.
 */
export const storable = (value: string): string => wellFormed(value.replaceAll('\u0000', ''));

const awkward = fc.constantFrom(
  '',
  ' ',
  '\t\n',
  '../../etc/passwd',
  '%2F%2e%2e',
  '/',
  'null',
  'undefined',
  '{}',
  '\u202eevil',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(40),
  'ｆｕｌｌｗｉｄｔｈ',
  'e\u0301\u0301\u0301',
  '\u0001\u001f\u007f',
  "'; DROP TABLE messages; --",
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF',
  '123e4567-e89b-12d3-a456-42661417400',
  '2024-02-30T25:61:00Z',
);

/** A long string made of one repeated character, over and under the server's limits. */
const huge = fc
  .tuple(fc.constantFrom('a', 'é', '😀', ' ', '\\'), fc.constantFrom(257, 4097, 65_537, 262_145))
  .map(([unit, length]) => unit.repeat(length));

export const junkString: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 4, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 3, arbitrary: awkward },
    { weight: 1, arbitrary: huge },
  )
  .map(storable);

/**
 * Numbers at the edges the server has to hold: int32 and int64 bounds, the last
 * millisecond a Date or PostgreSQL can hold, subnormals, negative zero.
 */
export const edgeNumber = fc.constantFrom(
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 - 1,
  2 ** 63,
  -(2 ** 63),
  8.64e15,
  8.64e15 + 1,
  253_402_300_799_999,
  253_402_300_800_000,
  -62_135_596_800_001,
  1e21,
  5e-324,
  -1e-7,
);

const junkNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, 1e-320),
  edgeNumber,
);

/** `depth` levels of `{"a": …}` and `[…]` around 1, as JSON text (no stack needed to build). */
export function nestedJson(depth: number, kind: 'object' | 'array' = 'object'): string {
  return kind === 'object'
    ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`
    : `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/**
 * Values nested from a few levels to far past the server's limit (32), as objects or
 * lists: kept under ~3000 so the test's own JSON.stringify does not overflow.
 */
export const deepValue: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 41, max: 3000 })),
    fc.constantFrom('object' as const, 'array' as const),
  )
  .map(([depth, kind]) => JSON.parse(nestedJson(depth, kind)) as unknown);

/** Any JSON value, with the awkward strings above at the leaves. */
export const junkValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    junkString,
    junkNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    deepValue,
    fc.dictionary(
      junkString.map((key) => key.slice(0, 50)),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

/**
 * An object that starts from `valid` and breaks it: each field kept, removed, or
 * replaced by junk; or by a field-specific value from `variants`; plus unknown keys.
 */
export function mutated(
  valid: Record<string, unknown>,
  variants: Record<string, fc.Arbitrary<unknown>> = {},
): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.fromEntries(
    Object.keys(valid).map((key) => {
      const choices: fc.Arbitrary<unknown>[] = [
        fc.constant(valid[key]),
        fc.constant(valid[key]),
        fc.constant(undefined),
        junkValue,
      ];
      const variant = variants[key];
      if (variant) choices.push(variant, variant);
      return [key, fc.oneof(...choices)];
    }),
  );
  return fc
    .tuple(
      fc.record(fields),
      fc.dictionary(fc.string({ maxLength: 12 }).map(storable), junkValue, { maxKeys: 2 }),
    )
    .map(([body, extra]) => {
      const result: Record<string, unknown> = { ...extra, ...body };
      for (const [key, value] of Object.entries(result))
        if (value === undefined) delete result[key];
      return result;
    });
}

/** A request body: mostly a broken valid object, sometimes any JSON, sometimes not JSON. */
export function junkBody(
  valid: Record<string, unknown>,
  variants: Record<string, fc.Arbitrary<unknown>> = {},
): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 12, arbitrary: mutated(valid, variants).map((body) => JSON.stringify(body)) },
    { weight: 3, arbitrary: junkValue.map((value) => JSON.stringify(value) ?? 'null') },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.constantFrom('{', '{"a":', '[1,2', 'nul', '\u00ff\u00fe', '{"a":1}}', '"'),
        fc.string({ maxLength: 30 }).map(storable),
      ),
    },
  );
}
