/**
 * Tokenisation fixture: gpt-tokenizer's o200k_base encoder (GPT-4o family) on a
 * ~4 KB prompt. "Cold" clears the BPE merge cache before every call (first
 * sight of the text); "warm" keeps it (a repeated system prompt).
 */
import { paragraph } from '../kernels/text.js';
import { handoffPayload } from '../kernels/agent-state.js';
import { childSeed } from '../kernels/prng.js';
import { type KernelInstance, type SuiteSetup, pick } from './types.js';

export const setup: SuiteSetup = async (options, kernelIds) => {
  const tokenizer = await import('gpt-tokenizer/encoding/o200k_base');
  const seed = childSeed(options.seed, 'tokenize');
  const prompt =
    `You are an underwriting assistant. Use only the context below.\n\n${paragraph(seed, 2800)}\n\n` +
    `Context JSON:\n${JSON.stringify(handoffPayload(seed).context).slice(0, 1100)}\n\nQuestion: ${paragraph(seed + 1, 100)}`;
  const tokens = tokenizer.encode(prompt).length;
  const work = { tokens };
  const cold: KernelInstance = { async: false, work, beforeEach: () => tokenizer.clearMergeCache(), run: () => tokenizer.encode(prompt).length };
  const warm: KernelInstance = { async: false, work, run: () => tokenizer.encode(prompt).length };
  const available = new Map([
    ['orchestration.tokenize-cold', cold],
    ['orchestration.tokenize-warm', warm],
  ]);
  return { kernels: pick(available, kernelIds, options.suite), dispose: async () => {} };
};
