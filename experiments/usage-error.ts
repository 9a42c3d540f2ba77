/** A mistake in how the tool was called, or an environment it cannot work in (exit 2, no stack trace). */
export class UsageError extends Error {}
