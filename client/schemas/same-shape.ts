/**
 * Type-level proof that a zod schema describes exactly a type of the contract: the same fields,
 * each as optional or nullable as there, down to the last nested one. Both sides are rebuilt field
 * by field first, so an interface, an intersection and zod's inferred object of one shape compare
 * equal; then they must be identical, not merely assignable both ways (which would let an
 * optional field on one side only slip through).
 */

type Primitive = string | number | boolean | bigint | symbol | null | undefined;

/** `T` rebuilt field by field (arrays and tuples stay arrays and tuples; unions member by member). */
type Rebuilt<T> = unknown extends T ? T : T extends Primitive ? T : { [K in keyof T]: Rebuilt<T[K]> };

/** `true` when `A` and `B` are the same type (TypeScript's own identity, not assignability). */
type Identical<A, B> = (<G>() => G extends A ? 1 : 2) extends <G>() => G extends B ? 1 : 2 ? true : false;

/** `true` when `A` and `B` have the same shape; see the module's comment. */
export type SameShape<A, B> = Identical<Rebuilt<A>, Rebuilt<B>>;

/** Compiles only when `T` is `true`: tsc then names the line of the schema that drifted from its type. */
export type Assert<T extends true> = T;
