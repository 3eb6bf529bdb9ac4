/**
 * Loads, with one call, every key asked for while one GraphQL result is being resolved: a list
 * of 50 orders asking for their timelines makes one query, not 50. Keys asked for before the
 * batch runs (the resolvers of one list all run in the same turn of the event loop) join it;
 * each key is loaded once for the loader's life. Make one loader per request.
 */
export class BatchLoader<K, V> {
  private readonly results = new Map<K, Promise<V>>();
  private queue: { key: K; resolve: (value: V) => void; reject: (error: unknown) => void }[] = [];

  /** `loadMany` answers for every key it is given; a key it leaves out gets `missing`. */
  constructor(
    private readonly loadMany: (keys: readonly K[]) => Promise<ReadonlyMap<K, V>>,
    private readonly missing: V,
  ) {}

  load(key: K): Promise<V> {
    const known = this.results.get(key);
    if (known) return known;
    const result = new Promise<V>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => void this.dispatch());
      this.queue.push({ key, resolve, reject });
    });
    this.results.set(key, result);
    return result;
  }

  private async dispatch(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      const found = await this.loadMany(batch.map((b) => b.key));
      for (const b of batch) b.resolve(found.get(b.key) ?? this.missing);
    } catch (error) {
      for (const b of batch) {
        this.results.delete(b.key);
        b.reject(error);
      }
    }
  }
}

/** One loader per request context, made on first use and dropped with the context. */
export function perContext<C extends object, L>(make: (context: C) => L): (context: C) => L {
  const loaders = new WeakMap<C, L>();
  return (context) => {
    let loader = loaders.get(context);
    if (!loader) {
      loader = make(context);
      loaders.set(context, loader);
    }
    return loader;
  };
}
