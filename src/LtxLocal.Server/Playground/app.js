// The playground's entry point: wires the key, the models, the generation form, the jobs list and the sweep editor.
import { key } from './api.js';
import { $ } from './dom.js';
import { fillPipelineSelect, loadModels } from './models.js';
import { cancel, submit } from './generate.js';
import { more, refreshJobs } from './jobs.js';
import { showInputs } from './request.js';
import { cancelSweep, countCells, downloadCsv, submitSweep } from './sweeps.js';

async function useKey(event) {
  event?.preventDefault();
  const value = $('api-key').value.trim();
  if (value === '') return;
  key.set(value);
  $('key-state').textContent = 'Checking the key…';
  if (await loadModels()) {
    $('key-state').textContent = 'Key accepted; it is kept for this tab only.';
    await refreshJobs();
  } else {
    $('key-state').textContent = 'The server refused the request (see Models).';
  }
}

function forgetKey() {
  key.clear();
  $('api-key').value = '';
  $('key-state').textContent = 'Key forgotten.';
}

$('key-form').addEventListener('submit', useKey);
$('key-forget').addEventListener('click', forgetKey);
$('gen-kind').addEventListener('change', showInputs);
$('gen-model').addEventListener('change', fillPipelineSelect);
$('generate-form').addEventListener('submit', submit);
$('job-cancel').addEventListener('click', cancel);
$('jobs-refresh').addEventListener('click', refreshJobs);
$('jobs-more').addEventListener('click', more);
$('jobs-status').addEventListener('change', refreshJobs);
$('sweep-form').addEventListener('submit', submitSweep);
$('sweep-steps').addEventListener('input', countCells);
$('sweep-guidance').addEventListener('input', countCells);
$('sweep-cancel').addEventListener('click', cancelSweep);
$('sweep-csv').addEventListener('click', downloadCsv);

showInputs();
countCells();
if (key.get()) {
  $('api-key').value = key.get();
  useKey();
}
document.body.dataset.ready = 'true';
