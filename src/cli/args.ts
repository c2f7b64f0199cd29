import { UsageError } from './errors.js';

/** A flag that is present or not: `--json`. */
interface BooleanFlag {
  readonly type: 'boolean';
  readonly help: string;
}

/** A flag with a string value: `--op softmax`, `--op=softmax`. */
export interface StringFlag {
  readonly type: 'string';
  readonly help: string;
  /** Placeholder in help text, e.g. 'OP'. */
  readonly value?: string;
  /** When given, the value must be one of these. */
  readonly choices?: readonly string[];
  /** Allows the flag more than once; the values are collected in order. */
  readonly multiple?: boolean;
  readonly default?: string;
}

/** A flag with a numeric value: `--runs 100`. `integer` accepts only safe integers. */
export interface NumberFlag {
  readonly type: 'integer' | 'number';
  readonly help: string;
  readonly value?: string;
  /** Inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
  readonly multiple?: boolean;
  readonly default?: number;
}

type FlagSpec = BooleanFlag | StringFlag | NumberFlag;

/** A command's flags by long name (without the dashes). */
export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

type ValueOf<S> = S extends { readonly type: 'boolean' }
  ? boolean
  : S extends { readonly type: 'integer' | 'number' }
    ? number
    : S extends { readonly choices: readonly (infer C)[] }
      ? C
      : string;

/**
 * The parsed type of one flag: booleans are false when absent, repeated flags are arrays, flags with a
 * default are always set.
 */
type FlagValue<S> = S extends { readonly type: 'boolean' }
  ? boolean
  : S extends { readonly multiple: true }
    ? ValueOf<S>[]
    : S extends { readonly default: unknown }
      ? ValueOf<S>
      : ValueOf<S> | undefined;

type ParsedFlags<F extends FlagSpecs> = { -readonly [K in keyof F]: FlagValue<F[K]> };

export interface ParsedArgs<F extends FlagSpecs> {
  readonly flags: ParsedFlags<F>;
  readonly positionals: string[];
}

export interface ParseOptions {
  /** The command name, for messages. */
  readonly command: string;
  /** Positional arguments accepted: how many, and a name for messages (default: none). */
  readonly positionals?: { readonly min: number; readonly max: number; readonly name: string };
}

/**
 * Parses a command line against a flag table.
 *
 * Accepts `--flag value`, `--flag=value`, booleans (`--json`), repeated flags when `multiple`,
 * positionals anywhere, and `--` ending the flags (everything after is positional). A value in
 * the `--flag value` form may start with a single '-' (`--seed -3`); a token starting with
 * '--' is never taken as a value, so `--op --format f32` is a missing value, not an op named
 * '--format'.
 *
 * Throws a `UsageError` naming the flag for: an unknown flag (listing the accepted ones), a
 * missing or bad value (listing the accepted values), a value given to a boolean, a
 * non-repeatable flag given twice, and too many or too few positionals.
 */
export function parseArgs<const F extends FlagSpecs>(
  argv: readonly string[],
  specs: F,
  options: ParseOptions,
): ParsedArgs<F> {
  const values: Record<string, unknown> = {};
  const positionals: string[] = [];
  const seen = new Set<string>();

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!token.startsWith('-') || token === '-' || /^-\d/.test(token)) {
      // '-' conventionally names stdin; a negative number is a value, not a flag
      positionals.push(token);
      continue;
    }
    const eq = token.indexOf('=');
    const name = token.startsWith('--') ? token.slice(2, eq < 0 ? undefined : eq) : token.slice(1);
    const spec = Object.hasOwn(specs, name) && token.startsWith('--') ? specs[name] : undefined;
    if (!spec)
      throw new UsageError(
        `unknown flag ${eq < 0 ? token : token.slice(0, eq)}; ${acceptedFlags(specs, options.command)}`,
      );
    const flag = `--${name}`;

    if (spec.type === 'boolean') {
      if (eq >= 0) throw new UsageError(`${flag} takes no value (found '${token.slice(eq + 1)}')`);
      values[name] = true;
      continue;
    }

    let raw: string;
    if (eq >= 0) raw = token.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--'))
        throw new UsageError(`${flag} needs a value: ${describeAccepted(spec)}`);
      raw = next;
      i++;
    }
    const value = parseValue(flag, spec, raw);
    if (spec.multiple) {
      const list = (values[name] as unknown[] | undefined) ?? [];
      list.push(value);
      values[name] = list;
    } else {
      if (seen.has(name)) throw new UsageError(`${flag} given more than once; it takes one value`);
      values[name] = value;
    }
    seen.add(name);
  }

  for (const [name, spec] of Object.entries(specs)) {
    if (Object.hasOwn(values, name)) continue;
    if (spec.type === 'boolean') values[name] = false;
    else if (spec.multiple) values[name] = spec.default === undefined ? [] : [spec.default];
    else values[name] = spec.default;
  }

  const pos = options.positionals ?? { min: 0, max: 0, name: 'argument' };
  if (positionals.length > pos.max) {
    const extra = positionals[pos.max];
    throw new UsageError(
      pos.max === 0
        ? `unexpected argument '${extra}': '${options.command}' takes no arguments`
        : `unexpected extra argument '${extra}'`,
    );
  }
  if (positionals.length < pos.min) throw new UsageError(`missing ${pos.name}`);

  return { flags: values as ParsedFlags<F>, positionals };
}

function parseValue(flag: string, spec: StringFlag | NumberFlag, raw: string): string | number {
  if (spec.type === 'string') {
    if (spec.choices && !spec.choices.includes(raw))
      throw new UsageError(`bad value '${raw}' for ${flag}: expected ${describeAccepted(spec)}`);
    return raw;
  }
  const bad = () => new UsageError(`bad value '${raw}' for ${flag}: expected ${describeAccepted(spec)}`);
  if (spec.type === 'integer') {
    if (!/^[+-]?\d+$/.test(raw)) throw bad();
    const n = Number(raw);
    if (!Number.isSafeInteger(n)) throw bad();
    if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) throw bad();
    return n;
  }
  // Number('') is 0 and Number(' 1') is 1: require some non-space text
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n)) throw bad();
  if ((spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) throw bad();
  return n;
}

/** What a flag accepts, for messages and help: "one of f64, f32, f16, bf16", "an integer ≥ 1". */
export function describeAccepted(spec: StringFlag | NumberFlag): string {
  if (spec.type === 'string')
    return spec.choices ? `one of ${spec.choices.join(', ')}` : `a ${spec.value ?? 'value'}`;
  const noun = spec.type === 'integer' ? 'an integer' : 'a number';
  if (spec.min !== undefined && spec.max !== undefined) return `${noun} from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return `${noun} ≥ ${spec.min}`;
  if (spec.max !== undefined) return `${noun} ≤ ${spec.max}`;
  return noun;
}

function acceptedFlags(specs: FlagSpecs, command: string): string {
  const names = Object.keys(specs).map((n) => `--${n}`);
  names.push('--help');
  return `'${command}' accepts ${names.join(', ')}`;
}
