// frame.html: <power-search> in a page of its own, for a portal to show in an <iframe> when its
// CMS takes no script tags. The URL gives the element's attributes (?index=, ?region=, ?fixed
// for fixed-region, ?q= for the first query, ?limit=). The page posts its height to the portal
// ({ type: 'powerlist:height', height }) whenever it changes, so a one-line listener on the
// portal (EMBED.md) can size the frame to its content; without it the frame keeps its own height.
import './power-search.js';

const params = new URLSearchParams(location.search);
const element = document.createElement('power-search');
for (const [param, attribute] of [['index', 'index'], ['region', 'region'], ['q', 'query'], ['limit', 'limit']]) {
  const value = params.get(param);
  if (value) element.setAttribute(attribute, value);
}
if (params.has('fixed')) element.setAttribute('fixed-region', '');
document.body.append(element);

if (window.parent !== window) {
  let last = 0;
  const post = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // Only a number leaves the frame: any portal may read it.
    window.parent.postMessage({ type: 'powerlist:height', height }, '*');
  };
  new ResizeObserver(post).observe(document.documentElement);
  post();
}
