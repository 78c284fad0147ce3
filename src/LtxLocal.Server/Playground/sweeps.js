// A sweep from the grid editor: POST /v1/sweeps with the form's request as the base and steps × guidance_scale as
// the axes, GET /v1/sweeps/{id} polled into a table of cells, and the report rendered once the sweep has ended.
import { blobUrl, call, callJson } from './api.js';
import { $, el, numberList, showError } from './dom.js';
import { jsonWithFiles, kind } from './request.js';
import { refreshJobs } from './jobs.js';

const pollMs = 2000;
const maxCells = 64;
const running = new Set(['queued', 'pending', 'running', 'processing']);
let sweepId = null;
let csvPath = null;
let reportUrls = [];

export function countCells() {
  const note = $('sweep-count');
  try {
    const cells = numberList($('sweep-steps').value, 'steps').length * numberList($('sweep-guidance').value, 'guidance scales').length;
    note.textContent = `${cells} cell(s)${cells > maxCells ? ` — more than the ${maxCells} a sweep may have` : ''}`;
    note.className = cells > maxCells ? 'error' : 'note';
  } catch (error) {
    note.textContent = error.message;
    note.className = 'error';
  }
}

export async function submitSweep(event) {
  event.preventDefault();
  const button = $('sweep-submit');
  showError($('sweep-error'), null);
  button.disabled = true;
  try {
    const axes = {
      steps: numberList($('sweep-steps').value, 'steps'),
      guidance_scale: numberList($('sweep-guidance').value, 'guidance scales'),
    };
    const request = await jsonWithFiles();
    const sweep = await callJson('POST', '/v1/sweeps', { json: { kind: kind(), request, axes } });
    sweepId = sweep.id;
    $('sweep-report').hidden = true;
    $('sweep-csv').hidden = true;
    $('sweep-cancel').hidden = false;
    render(sweep);
    refreshJobs(); // every cell is a normal job
    poll(sweep.id);
  } catch (error) {
    showError($('sweep-error'), error);
  } finally {
    button.disabled = false;
  }
}

async function poll(id) {
  if (id !== sweepId) return;
  let sweep;
  try {
    sweep = await callJson('GET', `/v1/sweeps/${encodeURIComponent(id)}`);
  } catch (error) {
    showError($('sweep-error'), error);
    if (error.status !== 404 && error.status !== 401) setTimeout(() => poll(id), pollMs * 2);
    return;
  }
  if (id !== sweepId) return;
  render(sweep);
  if (running.has(stateOf(sweep)) || measuring(sweep)) {
    setTimeout(() => poll(id), pollMs);
    return;
  }
  $('sweep-cancel').hidden = true;
  refreshJobs();
  await showReport(id);
}

// Quality is measured in the background after the cells end (api.md "Sweeps"): keep asking until no cell waits for it.
function measuring(sweep) {
  return (sweep.cells || []).some((c) => stateOf(c) === 'completed' && !c.quality && /^being measured/.test(c.quality_note || ''));
}

function stateOf(sweep) {
  return sweep.status || sweep.state || '';
}

function render(sweep) {
  csvPath = (sweep.links && sweep.links.csv) || `/v1/sweeps/${encodeURIComponent(sweep.id)}?format=csv`;
  const cells = sweep.cells || [];
  const done = cells.filter((c) => !running.has(stateOf(c))).length;
  $('sweep-state').textContent = `Sweep ${sweep.id}: ${stateOf(sweep)}${cells.length ? ` — ${done}/${cells.length} cells ended` : ''}`;
  $('sweep-state').dataset.state = stateOf(sweep);
  $('sweep-state').dataset.sweep = sweep.id;
  renderCells(cells);
}

// The cells' table (api.md "Sweeps"): axis values, state, time per step and in all, peak memory, bytes, and quality
// against the reference cell (SSIM and PSNR measure convergence to it, not prompt fidelity: the legend says so).
const columns = [
  ['cell', (c) => `${c.index}${c.reference ? ' (reference)' : ''}`],
  ['values', (c) => Object.entries(c.values || {}).map(([k, v]) => `${k} ${v}`).join(', ')],
  ['status', (c) => c.status],
  ['s/step', (c) => c.seconds_per_step],
  ['total s', (c) => c.timings && c.timings.total],
  ['peak MiB', (c) => c.peak_memory && c.peak_memory.ledger_bytes / 1048576],
  ['bytes', (c) => c.output_bytes],
  ['SSIM', (c) => c.quality && c.quality.ssim],
  ['PSNR dB', (c) => c.quality && (c.quality.psnr_infinite ? '∞ (identical)' : c.quality.psnr)],
  ['flicker ratio', (c) => c.quality && c.quality.flicker_ratio],
  ['note', (c) => (c.error && c.error.message) || c.quality_note],
];

function renderCells(cells) {
  const table = $('sweep-cells');
  table.querySelector('thead').replaceChildren(el('tr', {}, columns.map(([name]) => el('th', {}, name))));
  table.querySelector('tbody').replaceChildren(...cells.map((c) => el('tr', { 'data-status': c.status },
    columns.map(([, value]) => el('td', {}, format(value(c)))))));
  table.hidden = cells.length === 0;
}

function format(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number' && !Number.isInteger(value)) return value.toPrecision(4);
  return String(value);
}

export async function cancelSweep() {
  if (!sweepId) return;
  try {
    await call('DELETE', `/v1/sweeps/${encodeURIComponent(sweepId)}`);
  } catch (error) {
    showError($('sweep-error'), error);
  }
}

export async function downloadCsv() {
  if (!csvPath) return;
  try {
    const url = await blobUrl('GET', csvPath);
    const link = el('a', { href: url, download: `sweep-${sweepId}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  } catch (error) {
    showError($('sweep-error'), error);
  }
}

// The report is HTML that needs the key for its images too: fetched with the header, its scripts dropped, each
// same-origin image fetched into a blob: URL, and the result shown in a sandboxed frame (no scripts run there).
async function showReport(id) {
  try {
    const path = `/v1/sweeps/${encodeURIComponent(id)}/report`;
    const html = await (await call('GET', path)).text();
    const doc = new DOMParser().parseFromString(html, 'text/html');
    doc.querySelectorAll('script').forEach((s) => s.remove());
    const base = new URL(path, location.href);
    reportUrls.forEach((u) => URL.revokeObjectURL(u));
    reportUrls = [];
    for (const image of doc.querySelectorAll('img[src], image[href]')) await resolveImage(image, base);
    for (const link of doc.querySelectorAll('a[href]')) {
      const target = new URL(link.getAttribute('href'), base);
      if (target.origin === location.origin) {
        link.removeAttribute('href'); // it would need the key; the page's buttons fetch what the report links to
        link.title = `${target.pathname}${target.search} (needs the API key)`;
      }
    }
    const frame = $('sweep-report');
    frame.srcdoc = `<!doctype html>${doc.documentElement.outerHTML}`;
    frame.hidden = false;
    $('sweep-csv').hidden = false;
  } catch (error) {
    showError($('sweep-error'), error);
  }
}

async function resolveImage(image, base) {
  const attribute = image.hasAttribute('src') ? 'src' : 'href';
  const url = new URL(image.getAttribute(attribute), base);
  if (url.protocol === 'data:' || url.protocol === 'blob:') return;
  if (url.origin !== location.origin) {
    image.removeAttribute(attribute); // nothing leaves this server
    return;
  }
  const local = await blobUrl('GET', `${url.pathname}${url.search}`);
  reportUrls.push(local);
  image.setAttribute(attribute, local);
}
