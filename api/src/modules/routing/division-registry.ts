import { BUNDLED_DIVISION_FILE, readDivisionFile } from '../../domain/address/division-data.js';
import type { DivisionIndex } from '../../domain/address/division-index.js';
import type { FieldError, Result } from '../../domain/shared/result.js';
import { createLogger, type Logger } from '../../infra/logging/logger.js';

/** Where the division data comes from: a file by default; tests inject broken ones. */
export interface DivisionSource {
  /** For status and logs, e.g. the file path. */
  readonly name: string;
  load(): Result<DivisionIndex>;
}

export const divisionFileSource = (path: string = BUNDLED_DIVISION_FILE): DivisionSource => ({
  name: path,
  load: () => readDivisionFile(path),
});

export interface DivisionStatus {
  /** Whether an index is in use; false only before the first successful load. */
  loaded: boolean;
  source: string;
  loadedAt: Date | null;
  counts: DivisionIndex['counts'] | null;
  lastFailureAt: Date | null;
  /** The defects of the last failed load, kept until a later load succeeds. */
  lastFailure: FieldError[];
}

export type DivisionReload =
  | { ok: true; status: DivisionStatus }
  | { ok: false; errors: FieldError[]; status: DivisionStatus };

/**
 * The division index routing parses addresses with. Loaded at start-up and on request; a load
 * that fails (missing file, cut-off JSON, a truncated tree) is logged as an error and leaves the
 * index in use untouched, so a bad data update never turns into an empty table that matches
 * nothing. With no index at all, intake holds orders as `ADDRESS_DATA_UNAVAILABLE`.
 */
export class DivisionRegistry {
  private index: DivisionIndex | null = null;
  private codes: ReadonlySet<string> = new Set();
  private loadedAt: Date | null = null;
  private lastFailureAt: Date | null = null;
  private lastFailure: FieldError[] = [];
  private logger: Logger;

  constructor(
    private source: DivisionSource = divisionFileSource(),
    logger?: Logger,
  ) {
    this.logger = logger ?? createLogger('info', 'division-data');
  }

  /** The index in use; null before the first successful load. */
  get current(): DivisionIndex | null {
    return this.index;
  }

  /** Replaces the source used by the next `reload` (a new file, or a test's broken data). */
  useSource(source: DivisionSource): void {
    this.source = source;
  }

  useLogger(logger: Logger): void {
    this.logger = logger;
  }

  /** Reads the source again; on failure the previous index stays in use. */
  reload(now: Date = new Date()): DivisionReload {
    let result: Result<DivisionIndex>;
    try {
      result = this.source.load();
    } catch (error) {
      result = {
        ok: false,
        errors: [{ field: 'file', code: 'LOAD_FAILED', message: (error as Error).message }],
      };
    }
    if (!result.ok) {
      this.lastFailureAt = now;
      this.lastFailure = result.errors;
      this.logger.error(
        {
          source: this.source.name,
          errorCount: result.errors.length,
          errors: result.errors.slice(0, 5),
          keptPrevious: this.index !== null,
        },
        this.index !== null
          ? 'division data failed to load: the previous data stays in use'
          : 'division data failed to load and none is in use: every new order is held as ADDRESS_DATA_UNAVAILABLE',
      );
      return { ok: false, errors: result.errors, status: this.status() };
    }
    this.index = result.value;
    this.codes = gbCodes(result.value);
    this.loadedAt = now;
    this.lastFailureAt = null;
    this.lastFailure = [];
    this.logger.info({ source: this.source.name, ...result.value.counts }, 'division data loaded');
    return { ok: true, status: this.status() };
  }

  /** Drops the index, as at a first start whose load failed. */
  forget(): void {
    this.index = null;
    this.codes = new Set();
    this.loadedAt = null;
  }

  /** Whether a six-digit code names a province, city or county-level area of the data in use. */
  readonly isKnownRegionCode = (code: string): boolean => this.codes.has(code);

  status(): DivisionStatus {
    return {
      loaded: this.index !== null,
      source: this.source.name,
      loadedAt: this.loadedAt,
      counts: this.index?.counts ?? null,
      lastFailureAt: this.lastFailureAt,
      lastFailure: this.lastFailure,
    };
  }
}

function gbCodes(index: DivisionIndex): ReadonlySet<string> {
  const codes = new Set<string>();
  for (const code of index.byCode.keys()) if (code.length === 6) codes.add(code);
  return codes;
}

/** The one registry of this process. */
export const divisionRegistry = new DivisionRegistry();
