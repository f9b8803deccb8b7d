/**
 * What the command line needs from the outside world, as one small interface, so tests run
 * `main()` in-process against real files and read what it printed.
 */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** The file's bytes; a file that cannot be read throws a CliError naming it. */
  readFile(path: string): Promise<Uint8Array>;
  /**
   * Writes all of `bytes` to `path` or nothing: a temporary file in the same folder first,
   * renamed over `path` once complete. On failure the temporary file is gone and a file
   * already at `path` is as it was. Throws a CliError naming the file.
   */
  writeFile(path: string, bytes: Uint8Array): Promise<void>;
  /** The current time, ISO 8601 (stamps records made by a conversion and a report's date). */
  now(): string;
}
