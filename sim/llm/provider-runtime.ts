/**
 * A provider's shared state during a run: its rate-limit buckets, the calls
 * in flight, the quota used in the current window. Every definition that
 * calls the provider – any node of the graph, any fallback – holds the same
 * object, so a loop's retries and a neighbour's calls draw on one budget.
 */
import type { ProviderModel, ProviderIncidentModel } from './model.js';
import { TokenBucket } from './token-bucket.js';

/** What `admit` decided: the call goes ahead, or the provider refuses it. */
export const ADMITTED = 0;
/** 429: over RPM, TPM or concurrency. `retryAfterMs` says when to come back (NaN: no header). */
export const REFUSED_RATE_LIMIT = 1;
/** 529/503: the provider is overloaded or in an incident. */
export const REFUSED_OVERLOADED = 2;
/** 429 insufficient_quota / spend limit reached: fails until the window ends, no Retry-After. */
export const REFUSED_QUOTA = 3;

export class ProviderRuntime {
  readonly rpm: TokenBucket | null;
  readonly tpm: TokenBucket | null;
  inFlight = 0;
  /** Retry-After of the last REFUSED_RATE_LIMIT, ms (NaN: none sent). */
  retryAfterMs = NaN;
  /** The incident window the last admitted call met (null: none) – its latency factors apply to that call. */
  incident: ProviderIncidentModel | null = null;
  private quotaWindow = 0;
  private quotaTokensUsed = 0;
  private quotaSpendUsed = 0;

  constructor(readonly model: ProviderModel) {
    this.rpm = Number.isFinite(model.rpm) ? new TokenBucket(model.rpm) : null;
    this.tpm = Number.isFinite(model.tpm) ? new TokenBucket(model.tpm) : null;
  }

  /**
   * Decides whether a call reserving `reservedTokens` against TPM is let in
   * at `nowMs`, in the order a provider's front door checks: the account's
   * quota, the rate limits (RPM before TPM; a request refused on TPM has
   * still used its RPM slot – OpenAI: "unsuccessful requests contribute to
   * your per-minute limit"), then the backend – an incident window's error
   * share (`uIncident`) and the everyday overload probability (`uOverload`).
   */
  admit(modelIndex: number, reservedTokens: number, nowMs: number, uIncident: number, uOverload: number): number {
    const m = this.model;
    if (m.quotaWindowMs > 0 && (Number.isFinite(m.quotaTokens) || Number.isFinite(m.quotaSpendUsd))) {
      const w = Math.floor(nowMs / m.quotaWindowMs);
      if (w !== this.quotaWindow) {
        this.quotaWindow = w;
        this.quotaTokensUsed = 0;
        this.quotaSpendUsed = 0;
      }
      if (this.quotaTokensUsed >= m.quotaTokens || this.quotaSpendUsed >= m.quotaSpendUsd) return REFUSED_QUOTA;
    }
    if (this.inFlight >= m.concurrency) {
      this.retryAfterMs = NaN;
      return REFUSED_RATE_LIMIT;
    }
    if (this.rpm !== null) {
      const waitMs = this.rpm.take(1, nowMs);
      if (waitMs > 0) return this.rateLimited(waitMs);
    }
    if (this.tpm !== null) {
      const waitMs = this.tpm.take(reservedTokens, nowMs);
      if (waitMs > 0) return this.rateLimited(waitMs);
    }
    const incident = m.incidents.length === 0 ? null : activeProviderIncident(m.incidents, modelIndex, nowMs);
    if (incident !== null && uIncident < incident.errorRate) return REFUSED_OVERLOADED;
    if (uOverload < m.overloadProbability) return REFUSED_OVERLOADED;
    this.inFlight++;
    this.incident = incident;
    return ADMITTED;
  }

  /** Books what an admitted call uses against the quota window. */
  used(tokens: number, spendUsd: number): void {
    this.quotaTokensUsed += tokens;
    this.quotaSpendUsed += spendUsd;
  }

  /**
   * A 429's Retry-After: the wait until the bucket holds the call, rounded
   * up to whole seconds – the header carries delay-seconds (RFC 9110
   * §10.2.3; Anthropic sends seconds). NaN when the call can never fit.
   */
  private rateLimited(waitMs: number): number {
    this.retryAfterMs = Number.isFinite(waitMs) ? Math.ceil(waitMs / 1000) * 1000 : NaN;
    return REFUSED_RATE_LIMIT;
  }
}

/** The provider incident hitting `modelIndex` at `nowMs`, if any. */
export function activeProviderIncident(incidents: readonly ProviderIncidentModel[], modelIndex: number, nowMs: number): ProviderIncidentModel | null {
  for (const i of incidents) if (nowMs >= i.fromMs && nowMs < i.toMs && (i.models === null || i.models.includes(modelIndex))) return i;
  return null;
}
