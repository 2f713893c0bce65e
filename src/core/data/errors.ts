/**
 * Errors about data files: always name the file, say what is wrong and what to do.
 * `code` is machine-readable ('bad-magic' | 'truncated' | 'mismatch' | 'not-found' | 'bad-format' | 'bad-image').
 */
export class DataError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'DataError';
  }
}
