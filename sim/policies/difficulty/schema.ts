/** Per-request difficulty as scenario files spell it (`difficulty:` on a stage, or at the top as every stage's default). */
import { z } from 'zod';
import { strictObject } from '../../scenario/units.js';

export const difficultySchema = strictObject({
  concentration: z
    .number()
    .finite()
    .positive('must be > 0 (Beta parameters (1-p)·concentration and p·concentration must be positive)')
    .describe('Beta concentration of per-request difficulty; smaller = requests differ more (tau-bench fit: ~0.85)'),
});
