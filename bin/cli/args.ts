/**
 * A command's arguments, parsed by Node's own parser (node:util parseArgs, strict): an
 * unknown option or a missing value is a UsageError that names it, so `main()` answers
 * with the command's usage hint and exit code 2.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

export type OptionSpec = Record<string, { type: 'string' | 'boolean'; short?: string }>;

export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | undefined>;
}

export function parseCommandArgs(command: string, args: readonly string[], options: OptionSpec): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { positionals, values: values as ParsedArgs['values'] };
  } catch (error) {
    const code = (error as { code?: string }).code;
    const named = /'([^']+)'/.exec((error as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`${command}: unknown option ${named ?? ''}.`.replace(' .', '.'), command);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`${command}: ${(error as Error).message.replace(/\.$/, '')}.`, command);
    throw new UsageError(`${command}: ${(error as Error).message}`, command);
  }
}

/** The positionals a command takes, exactly: too few or too many is a UsageError. */
export function expectPositionals(command: string, positionals: readonly string[], names: readonly string[]): string[] {
  if (positionals.length < names.length) throw new UsageError(`${command}: missing ${names.slice(positionals.length).join(' and ')}.`, command);
  if (positionals.length > names.length) throw new UsageError(`${command}: unexpected argument “${positionals[names.length]}”.`, command);
  return [...positionals];
}

/** A string option's value, or undefined. */
export const stringOption = (values: ParsedArgs['values'], name: string): string | undefined => {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
};
