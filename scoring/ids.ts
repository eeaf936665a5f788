/**
 * Id → index lookup used on hot paths (hundreds of thousands of scores).
 */

/**
 * Maps string ids to 0-based indices in first-seen order. `indexOf` remembers the last id asked for, and tries the
 * id after it before the hash map: scores usually arrive grouped by evaluator and vendor, with the innermost id
 * walking through its list in order (evaluator 1, 2, 3, … for one vendor × criterion), so most lookups skip the
 * hash map (which must hash every id string it is given, as ids read from a database are fresh strings).
 */
export class IdIndex {
  private readonly map = new Map<string, number>();
  private readonly ids: string[] = [];
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
    this.map.set(id, this.ids.length);
    this.ids.push(id);
    return this.ids.length - 1;
  }

  /** Whether `id` is known. */
  has(id: unknown): boolean {
    return this.indexOf(id) >= 0;
  }

  /** The index of `id`, or −1 when unknown (including non-string ids). */
  indexOf(id: unknown): number {
    if (id === this.lastId) return this.lastIndex;
    const next = this.lastIndex + 1;
    let index: number;
    if (next < this.ids.length && id === this.ids[next]) index = next;
    else index = typeof id === 'string' ? (this.map.get(id) ?? -1) : -1;
    this.lastId = id;
    this.lastIndex = index;
    return index;
  }
}
