// Types for the <power-search> custom element (power-search.js).
import type { IndexInfo, PowerIndex, Region } from './pkg/powerlist.js';

/** PowerIndex's queries that the search worker answers. */
type Queries = 'search' | 'item' | 'get' | 'handlers' | 'fields' | 'types' | 'levels' | 'regions' | 'regionsNear' | 'info' | 'missingChunks';

/**
 * The element's index (www/loader.js SearchIndex): it lives in the search worker
 * (search-worker.js), and each of PowerIndex's queries returns a promise of the same answer.
 */
export type SearchIndex = {
  [K in Queries]: (...args: Parameters<PowerIndex[K]>) => Promise<ReturnType<PowerIndex[K]>>;
} & {
  /** Hit ids and scores (plain data: the worker's SearchIds, copied). */
  searchIds(...args: Parameters<PowerIndex['searchIds']>): Promise<{ total: number; ids: Uint32Array; scores: Float32Array }>;
  /** The number of items. */
  readonly itemCount: number;
  /**
   * What does not change, at once: the catalog and its counts, the filters' values, the regions (a
   * large chunked index's without townships: a county has `more`, and `regionsNear(code)` fetches
   * them), the module's version.
   */
  readonly meta: { info: IndexInfo; fields: string[]; types: string[]; levels: string[]; regions: Region[]; version: string };
};

/**
 * `<power-search index="catalog.idx" region="321281100" query="摆摊" limit="10">`
 * (`fixed-region`: the region attribute only, no picker; `url-state`: the query and the open item
 * kept in the page's URL after `#ps?`). Importing the module registers the
 * element. Its children are the portal's fallback, shown when the search cannot load; events
 * `power-search-ready`, `power-search-open`, `power-search-error` and `error`.
 */
export declare class PowerSearch extends HTMLElement {
  /** The loaded index, or null before 'power-search-ready' (and after a load error). */
  readonly index: SearchIndex | null;
  /** Resolves with the index once loaded; rejects with the load error. */
  readonly ready: Promise<SearchIndex>;
  /** The current query; setting it sets the `query` attribute. */
  query: string;
}

/** What went wrong, as the module loader words it for the reader (a LoadError, www/loader.js). */
export type LoadErrorKind = 'module' | 'module-version' | 'network' | 'missing' | 'missing-chunk' | 'http' | 'not-index' | 'version' | 'corrupt' | 'stale' | 'other';
export interface PowerSearchError extends Error {
  kind?: LoadErrorKind;
  /** What happened, in Chinese. */
  what?: string;
  /** What the reader can do about it. */
  todo?: string;
  /** The technical message. */
  detail?: string;
  /** The index URL. */
  url?: string;
}

export interface PowerSearchEventMap {
  'power-search-ready': CustomEvent<{ info: IndexInfo }>;
  'power-search-open': CustomEvent<{ code: string }>;
  'power-search-error': CustomEvent<{ error: PowerSearchError }>;
}

declare global {
  interface HTMLElementTagNameMap {
    'power-search': PowerSearch;
  }
  interface HTMLElementEventMap extends PowerSearchEventMap {}
}
