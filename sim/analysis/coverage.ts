/**
 * How a field of the compiled model stands with respect to the closed forms
 * (closed-form-coverage.ts): covered by the derivation, or holding only at
 * values where the feature is absent. Its own file so each policy's
 * descriptor (sim/policies/<name>/policy.ts) can declare the fields it owns
 * without importing the closed forms.
 */
import type { Model } from '../path/model.js';

export type Element<V> = V extends readonly (infer E)[] ? E : never;

/** How one field of T (of type V) stands with respect to the closed form. */
export type Declaration<T, V> =
  | { readonly covered: string }
  | { readonly holdsWhen: (value: V, owner: T, model: Model) => boolean; readonly because: string }
  | ([Element<V>] extends [never] ? never : { readonly each: Coverage<NonNullable<Element<V>>> })
  | (V extends readonly unknown[] ? never : V extends object ? { readonly fields: Coverage<V> } : never);

/** A declaration for every field of T, optional ones included. */
export type Coverage<T> = { readonly [K in keyof T]-?: Declaration<T, T[K]> };
