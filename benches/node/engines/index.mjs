// The engines compared, by name. Each adapter module exports:
//   name, about, codeFiles (what the browser downloads as code, relative to benches/node),
//   variants { key: { files (data files in target/bench/<size>/), about } } — the first is primary,
//   prepare(dir, docs) (build-time artifacts), and
//   load(variant, code, data, mark) → { apis: { label: (q, limit) → hits with name and code },
//                                       ids: (q, limit) → row ids }.
export const ENGINES = ['powerlist', 'minisearch', 'flexsearch', 'fuse'];

export async function engine(file) {
  const m = await import(`./${file}.mjs`);
  return { ...m, file };
}
