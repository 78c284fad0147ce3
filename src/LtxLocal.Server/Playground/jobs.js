// Recent jobs: GET /v1/jobs (newest first, cursor pages). A server without that route (404/405) gets the jobs
// this page submitted instead, each asked for its status.
import { callJson } from './api.js';
import { $, el, shortId, showError, when } from './dom.js';
import { play, track } from './generate.js';

const submitted = new Map(); // id -> latest known status body, for servers without GET /v1/jobs
let nextCursor = null;
let generation = 0; // a newer refresh wins: answers to older ones are dropped, so rows never double

export function remember(job) {
  for (const id of job.ids || [job.id]) submitted.set(id, { ...(submitted.get(id) || {}), ...job, id });
}

export async function refreshJobs() {
  nextCursor = null;
  await loadPage(null, ++generation);
}

export async function more() {
  if (nextCursor) await loadPage(nextCursor, generation);
}

async function loadPage(cursor, mine) {
  const state = $('jobs-state');
  const fresh = () => {
    if (mine !== generation) return false;
    if (!cursor) $('jobs-table').querySelector('tbody').replaceChildren();
    return true;
  };
  try {
    const query = new URLSearchParams();
    if ($('jobs-status').value) query.set('status', $('jobs-status').value);
    if (cursor) query.set('cursor', cursor);
    const answer = await callJson('GET', query.size ? `/v1/jobs?${query}` : '/v1/jobs');
    if (!fresh()) return;
    nextCursor = answer.next_cursor || null;
    append(answer.data || []);
    state.textContent = '';
  } catch (error) {
    if (error.status === 404 || error.status === 405) {
      const jobs = await listSubmitted();
      if (!fresh()) return;
      nextCursor = null;
      append(jobs);
      state.textContent = 'This server does not list jobs (GET /v1/jobs); showing the jobs this page submitted.';
    } else {
      if (mine !== generation) return;
      showError(state, error);
      state.hidden = false;
      state.className = 'error';
      return;
    }
  }
  state.className = 'note';
  state.hidden = false;
  $('jobs-more').hidden = !nextCursor;
}

async function listSubmitted() {
  const jobs = [];
  for (const [id, known] of submitted) {
    try {
      jobs.push(await callJson('POST', `/v1/jobs/${encodeURIComponent(id)}`));
    } catch (error) {
      if (error.status === 404) submitted.delete(id); // expired or deleted
      else jobs.push(known);
    }
  }
  const status = $('jobs-status').value;
  jobs.sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
  return status ? jobs.filter((j) => j.status === status) : jobs;
}

function append(jobs) {
  const body = $('jobs-table').querySelector('tbody');
  body.append(...jobs.map((job) => el('tr', { 'data-job': job.id },
    el('td', { class: 'mono', title: job.id }, shortId(job.id)),
    el('td', { class: `status-${job.status}` }, job.status),
    el('td', {}, when(job.created_at)),
    el('td', { class: 'mono' }, job.model || ''),
    el('td', {}, summary(job.parameters)),
    el('td', {}, actions(job)))));
}

function summary(p) {
  if (!p) return '';
  return [p.pipeline, p.resolution, p.num_frames && `${p.num_frames} frames`, p.steps && `${p.steps} steps`,
    p.guidance_scale && `cfg ${p.guidance_scale}`, p.seed !== undefined && `seed ${p.seed}`].filter(Boolean).join(', ');
}

function actions(job) {
  const buttons = [];
  if (job.status === 'completed') buttons.push(el('button', { type: 'button', onclick: () => play(job.id) }, 'Play'));
  if (job.status === 'queued' || job.status === 'processing') buttons.push(el('button', { type: 'button', onclick: () => track(job.id) }, 'Follow'));
  buttons.push(el('button', { type: 'button', onclick: () => remove(job.id) }, 'Delete'));
  return buttons;
}

// DELETE /v1/jobs/{id}: cancels it if running, deletes its file and row.
async function remove(id) {
  try {
    await callJson('DELETE', `/v1/jobs/${encodeURIComponent(id)}`);
    submitted.delete(id);
    await refreshJobs();
  } catch (error) {
    showError($('jobs-state'), error);
  }
}
