// Types for the <power-search> custom element (power-search.js).
import type { IndexInfo, PowerIndex } from './pkg/powerlist.js';

/**
 * `<power-search index="catalog.idx" region="321281100" query="摆摊" limit="10">`
 * Importing the module registers the element.
 */
export declare class PowerSearch extends HTMLElement {
  /** The loaded index, or null before 'power-search-ready' (and after a load error). */
  readonly index: PowerIndex | null;
  /** Resolves with the index once loaded; rejects with the load error. */
  readonly ready: Promise<PowerIndex>;
  /** The current query; setting it sets the `query` attribute. */
  query: string;
}

/** What went wrong, as the module loader words it for the reader (a LoadError, www/loader.js). */
export type LoadErrorKind = 'module' | 'module-version' | 'network' | 'missing' | 'http' | 'not-index' | 'version' | 'corrupt' | 'other';
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
