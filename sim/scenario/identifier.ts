/** Names and ids of the scenario language. */
import { z } from 'zod';

/**
 * Longest name or id. Names become file names (a report directory, a chart
 * file), chart labels and table columns: 301 characters overflowed a file
 * name (ENAMETOOLONG, 255 bytes on ext4/APFS) after every simulation had run,
 * and a 12,000-character variant name widened a chart into a 3 GB PNG.
 */
export const MAX_IDENTIFIER_LENGTH = 100;

export const identifier = z
  .string()
  .max(MAX_IDENTIFIER_LENGTH, `must be at most ${MAX_IDENTIFIER_LENGTH} characters (names become file names, chart labels and table columns)`)
  .regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'must start with a letter and hold only letters, digits, ".", "_" or "-"');
