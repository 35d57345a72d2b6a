// Interface wording and small formatting rules (Chinese first), in one place.

/** How the query was understood, as shown next to the count. */
export const KIND_LABEL = {
  browse: '浏览',
  code: '编码',
  keyword: '关键词',
  pinyin: '拼音',
  citation: '法律条文',
};

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

/** Today's local date as YYYY-MM-DD: the day the page asks who handles an item (an assignment
 * taken back (上收) before it no longer holds). */
export function today(now = new Date()) {
  const two = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
}
