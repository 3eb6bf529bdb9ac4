/**
 * A character trie over division names, so that finding every name that starts at a position of
 * an address costs one walk of at most the longest name's length, whatever the number of names.
 */
export class NameTrie<V> {
  private readonly root: TrieNode<V> = { next: null, values: null };
  private longest = 0;

  add(key: string, value: V): void {
    let node = this.root;
    for (let i = 0; i < key.length; i++) {
      const code = key.charCodeAt(i);
      node.next ??= new Map();
      let child = node.next.get(code);
      if (child === undefined) {
        child = { next: null, values: null };
        node.next.set(code, child);
      }
      node = child;
    }
    if (node.values === null) node.values = [];
    node.values.push(value);
    if (key.length > this.longest) this.longest = key.length;
  }

  /** Exact lookup; empty when the key is not a name. */
  get(key: string): readonly V[] {
    let node: TrieNode<V> | undefined = this.root;
    for (let i = 0; i < key.length && node !== undefined; i++) node = node.next?.get(key.charCodeAt(i));
    return node?.values ?? EMPTY;
  }

  /** Calls `visit(end, values)` for every key that `text` has at `start`, shortest first. */
  forEachPrefix(text: string, start: number, visit: (end: number, values: readonly V[]) => void): void {
    let node: TrieNode<V> | undefined = this.root;
    const stop = Math.min(text.length, start + this.longest);
    for (let i = start; i < stop; i++) {
      node = node.next?.get(text.charCodeAt(i));
      if (node === undefined) return;
      if (node.values !== null) visit(i + 1, node.values);
    }
  }
}

interface TrieNode<V> {
  /** Null on leaves, which are most nodes. */
  next: Map<number, TrieNode<V>> | null;
  values: V[] | null;
}

const EMPTY: readonly never[] = Object.freeze([]);
