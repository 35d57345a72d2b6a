// Interface wording and small formatting rules (Chinese first), in one place.

/** How the query was understood, as shown next to the count. */
export const KIND_LABEL = {
  browse: '浏览',
  code: '编码',
  keyword: '关键词',
  pinyin: '拼音',
  citation: '法律条文',
};

/**
 * The query kind to show. The index reports pinyin queries as 'keyword' (pinyin keys live in the
 * same terms FST), so a keyword query made only of Latin letters, spaces and apostrophes is shown
 * as pinyin. Codes need a digit, '-' or '.', so they never look like this.
 */
export function queryKind(result, query) {
  if (result.kind === 'keyword' && /^[a-z\s']+$/i.test(query.trim())) return 'pinyin';
  return result.kind;
}

const DIGITS = '零一二三四五六七八九';

/** 27 → 二十七, 122 → 一百二十二, 1001 → 一千零一: article numbers as the laws write them. */
export function chineseNumber(n) {
  if (!Number.isInteger(n) || n < 0 || n >= 10000) return String(n);
  if (n < 10) return DIGITS[n];
  if (n < 20) return '十' + (n % 10 ? DIGITS[n % 10] : '');
  const units = [[1000, '千'], [100, '百'], [10, '十']];
  let out = '';
  let zero = false;
  let rest = n;
  for (const [u, name] of units) {
    const d = Math.floor(rest / u);
    rest %= u;
    if (d) {
      if (zero) out += '零';
      out += DIGITS[d] + name;
      zero = false;
    } else if (out) {
      zero = true;
    }
  }
  if (rest) out += (zero ? '零' : '') + DIGITS[rest];
  return out;
}

/** 第二十七条 */
export function articleLabel(article) {
  return `第${chineseNumber(article)}条`;
}

/** A citation query that finds every item citing this article (kind 'citation'). */
export function citationQuery(law, article) {
  return `《${law}》第${article}条`;
}

/** Names of the region levels, from the root of the region tree down. */
export const REGION_LEVELS = [
  { label: '省', placeholder: '选择省份' },
  { label: '市', placeholder: '选择市' },
  { label: '县（市、区）', placeholder: '选择县（市、区）' },
  { label: '乡镇（街道）', placeholder: '选择乡镇（街道）' },
];

/** 1939170 → "1.8 MB" */
export function formatBytes(n) {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${Math.round(n / 1024)} KB`;
}
