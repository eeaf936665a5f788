/**
 * Id → index lookup used on hot paths (hundreds of thousands of scores).
 */

/**
 * Maps string ids to 0-based indices in first-seen order. `indexOf` remembers the last id asked for: scores usually
 * arrive grouped by evaluator and vendor, so most lookups skip the hash map.
 */
export class IdIndex {
  private readonly map = new Map<string, number>();
  private lastId: unknown = undefined;
  private lastIndex = -1;

  constructor(ids: Iterable<string> = []) {
    for (const id of ids) this.add(id);
  }

  /** Number of ids. */
  get size(): number {
    return this.map.size;
  }

  /** Adds `id` if new; returns its index. */
  add(id: string): number {
    const known = this.map.get(id);
    if (known !== undefined) return known;
    this.map.set(id, this.map.size);
    return this.map.size - 1;
  }

  /** Whether `id` is known. */
  has(id: unknown): boolean {
    return this.indexOf(id) >= 0;
  }

  /** The index of `id`, or −1 when unknown (including non-string ids). */
  indexOf(id: unknown): number {
    if (id === this.lastId) return this.lastIndex;
    const index = typeof id === 'string' ? (this.map.get(id) ?? -1) : -1;
    this.lastId = id;
    this.lastIndex = index;
    return index;
  }
}
