// Submitting the form, following the job by polling POST /v1/jobs/{id}, and playing the finished video.
import { blobUrl, callJson } from './api.js';
import { $, percent, shortId, showError } from './dom.js';
import { endpoints, kind, submission } from './request.js';
import { refreshJobs, remember } from './jobs.js';

const pollMs = 1000;
const terminal = new Set(['completed', 'failed', 'cancelled']);
let trackedId = null;
let videoUrl = null;

export async function submit(event) {
  event.preventDefault();
  const button = $('gen-submit');
  showError($('gen-error'), null);
  button.disabled = true;
  try {
    const accepted = await callJson('POST', endpoints[kind()], submission());
    remember(accepted);
    track(accepted.id);
    refreshJobs();
  } catch (error) {
    showError($('gen-error'), error);
  } finally {
    button.disabled = false;
  }
}

// Follows one job in the panel until it ends; a newer submission takes the panel over.
export function track(id) {
  trackedId = id;
  $('job-panel').hidden = false;
  $('job-id').textContent = id;
  $('job-status').textContent = '';
  $('job-stage').textContent = '';
  $('job-details').textContent = '';
  show(0);
  $('job-cancel').disabled = false;
  poll(id);
}

async function poll(id) {
  if (id !== trackedId) return;
  let job;
  try {
    job = await callJson('POST', `/v1/jobs/${encodeURIComponent(id)}`);
  } catch (error) {
    showError($('gen-error'), error);
    if (error.status !== 404 && error.status !== 401) setTimeout(() => poll(id), pollMs * 2);
    return;
  }
  if (id !== trackedId) return;
  render(job);
  if (!terminal.has(job.status)) {
    setTimeout(() => poll(id), pollMs);
    return;
  }
  $('job-cancel').disabled = true;
  remember(job);
  refreshJobs();
  if (job.status === 'completed') await play(id);
}

function render(job) {
  const status = $('job-status');
  status.textContent = job.status;
  status.className = `status-${job.status}`;
  const p = job.progress;
  const steps = p && p.total_steps ? ` step ${p.step}/${p.total_steps}` : '';
  $('job-stage').textContent = p ? `${p.stage}${steps}` : '';
  if (job.queue_position) $('job-stage').textContent += ` (queue position ${job.queue_position})`;
  show(job.status === 'completed' ? 1 : p ? p.fraction : 0);
  const details = { parameters: job.parameters, adjustments: job.adjustments, result: job.result, error: job.error };
  $('job-details').textContent = JSON.stringify(details, null, 2);
  if (job.error) showError($('gen-error'), new Error(`${job.error.type}: ${job.error.message}`));
}

function show(fraction) {
  $('job-progress').value = fraction;
  $('job-percent').textContent = percent(fraction);
}

export async function cancel() {
  if (!trackedId) return;
  try {
    render(await callJson('POST', `/v1/jobs/${encodeURIComponent(trackedId)}/cancel`));
  } catch (error) {
    showError($('gen-error'), error);
  }
}

// The download needs the bearer header, which <video src> cannot send: fetched into a blob: URL instead.
export async function play(id) {
  const video = $('result-video');
  try {
    const url = await blobUrl('POST', `/v1/jobs/${encodeURIComponent(id)}/download`);
    if (videoUrl) URL.revokeObjectURL(videoUrl);
    videoUrl = url;
    video.src = url;
    video.dataset.job = id;
    video.title = `job ${shortId(id)}`;
    video.hidden = false;
  } catch (error) {
    showError($('gen-error'), error);
  }
}
