/**
 * Ingress request authentication: HMAC-SHA256 over "timestamp.body" compared
 * in constant time, the scheme Stripe and Slack use for webhook signatures.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** A signed request as it arrives. */
export interface SignedRequest {
  readonly timestamp: string;
  readonly body: string;
  readonly signatureHex: string;
}

/** Signs `timestamp.body` with `secret`. */
export function signRequest(secret: Buffer, timestamp: string, body: string): SignedRequest {
  const signatureHex = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return { timestamp, body, signatureHex };
}

/** Recomputes the HMAC and compares it in constant time. */
export function verifyRequest(secret: Buffer, request: SignedRequest): boolean {
  const expected = createHmac('sha256', secret).update(`${request.timestamp}.${request.body}`).digest();
  const given = Buffer.from(request.signatureHex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
