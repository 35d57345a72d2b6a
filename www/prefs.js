// The reader's display choices, remembered in localStorage and shown as classes on <html>:
// - big (长辈模式): large text, high contrast (style.css, list.css); the page also follows
//   prefers-contrast: more for the colours
// - officer (执法人员视图): the maintainer's tools on the search page (version comparison,
//   statistics) and the item page's 更多信息 open at first
// A toggle is a button with aria-pressed; localStorage may be unavailable (private mode, a
// sandboxed frame): the choice then lasts for the page only.

const KEY = { big: 'powerlist.big', officer: 'powerlist.officer' };

/** Whether the choice `name` is on. */
export function pref(name) {
  try {
    return localStorage.getItem(KEY[name]) === '1';
  } catch {
    return document.documentElement.classList.contains(name);
  }
}

/** Sets `name` on or off: remembered, and the class on <html> follows. */
export function setPref(name, on) {
  document.documentElement.classList.toggle(name, on);
  try {
    if (on) localStorage.setItem(KEY[name], '1');
    else localStorage.removeItem(KEY[name]);
  } catch { /* not remembered */ }
}

/** Puts the remembered choices on <html> (call first thing). */
export function applyPrefs() {
  for (const name of Object.keys(KEY)) document.documentElement.classList.toggle(name, pref(name));
}

/**
 * Makes `button` (a <button aria-pressed>) the toggle of `name`; `onChange(on)` after a change.
 */
export function bindToggle(button, name, onChange = () => {}) {
  if (!button) return;
  button.setAttribute('aria-pressed', String(pref(name)));
  button.addEventListener('click', () => {
    const on = button.getAttribute('aria-pressed') !== 'true';
    setPref(name, on);
    button.setAttribute('aria-pressed', String(on));
    onChange(on);
  });
}
