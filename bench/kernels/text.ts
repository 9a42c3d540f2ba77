/**
 * Seeded pseudo-English for prompts, messages and documents. Real BPE
 * tokenisers behave on it much as on prose (common words are single tokens,
 * rarer ones split), which random bytes would not give.
 */
import { type Uniform, mulberry32 } from './prng.js';

const WORDS = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they ' +
  'you were their one all we can her has there been if more when will would who so no customer account loan ' +
  'application income credit score document policy review approve decline risk model agent tool retrieval context ' +
  'state handoff schema validate retry timeout fallback escalate human queue latency throughput pipeline request ' +
  'response summary evidence citation source payment invoice address employer balance statement history verify ' +
  'identity fraud signal threshold exception underwriting compliance regulation quarterly revenue forecast ' +
  'onboarding workflow contract clause liability premium coverage claim adjuster settlement jurisdiction'
).split(' ');

/** A deterministic sentence generator. */
export function sentenceSource(seed: number): { sentence(): string; uniform: Uniform } {
  const uniform = mulberry32(seed);
  const sentence = (): string => {
    const length = 6 + Math.floor(uniform() * 14);
    const words: string[] = [];
    for (let i = 0; i < length; i++) {
      const roll = uniform();
      if (roll < 0.04) words.push(String(Math.floor(uniform() * 100000)));
      else if (roll < 0.06) words.push(`ID-${Math.floor(uniform() * 1e6).toString(36).toUpperCase()}`);
      else words.push(WORDS[Math.floor(uniform() * WORDS.length)]);
    }
    const text = words.join(' ');
    return text.charAt(0).toUpperCase() + text.slice(1) + (uniform() < 0.1 ? '?' : '.');
  };
  return { sentence, uniform };
}

/** Roughly `chars` characters of sentences. */
export function paragraph(seed: number, chars: number): string {
  const { sentence } = sentenceSource(seed);
  let text = '';
  while (text.length < chars) text += (text ? ' ' : '') + sentence();
  return text;
}
