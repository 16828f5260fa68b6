/**
 * Checks shared by the embedding statistics: a vector of the wrong length or
 * holding NaN or an infinity would poison every sum and sample it enters, and
 * that could not be undone later, so it is refused at the door.
 */
export function assertVector(vector: ArrayLike<number>, dims: number): void {
  if (vector.length !== dims) {
    throw new RangeError(`expected a vector of ${dims} dimensions, got ${vector.length}`);
  }
  for (let d = 0; d < dims; d++) {
    if (!Number.isFinite(vector[d]!)) throw new RangeError(`vector component ${d} is not a finite number`);
  }
}

/** Checks that `dims` is a positive integer (a vector needs at least one component). */
export function assertDims(dims: number): void {
  if (!Number.isInteger(dims) || dims < 1) {
    throw new RangeError(`dims must be a positive integer, got ${dims}`);
  }
}
