// Small DOM helpers: elements built with textContent only (never innerHTML), so server text cannot become markup.
export const $ = (id) => document.getElementById(id);

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function showError(target, error) {
  target.textContent = error ? (error.message || String(error)) : '';
  target.hidden = !error;
}

export function percent(fraction) {
  return `${Math.floor(Math.max(0, Math.min(1, fraction || 0)) * 100)} %`;
}

export function shortId(id) {
  return id ? id.slice(0, 8) : '';
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

// "2, 4 8" -> [2, 4, 8]; anything that is not a number is an error naming it.
export function numberList(text, label) {
  const items = text.split(/[\s,;]+/).filter((s) => s.length > 0);
  if (items.length === 0) throw new Error(`${label}: give at least one value`);
  return items.map((s) => {
    const n = Number(s);
    if (!Number.isFinite(n)) throw new Error(`${label}: '${s}' is not a number`);
    return n;
  });
}
