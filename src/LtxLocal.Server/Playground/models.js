// GET /v1/models: the table of models and their pipelines, and the form's model and pipeline choices.
import { callJson } from './api.js';
import { $, el, showError } from './dom.js';

let models = [];

export async function loadModels() {
  const state = $('models-state');
  state.textContent = 'Loading models…';
  try {
    const answer = await callJson('GET', '/v1/models');
    models = answer.data || [];
    renderTable();
    fillModelSelect();
    state.textContent = models.length === 0 ? 'This server has no model (see README, "Models").' : `${models.length} model(s).`;
    return true;
  } catch (error) {
    models = [];
    $('models-table').hidden = true;
    showError(state, error);
    state.hidden = false;
    return false;
  }
}

function renderTable() {
  const body = $('models-table').querySelector('tbody');
  body.replaceChildren(...models.map((m) => el('tr', {},
    el('td', {}, el('span', { class: 'mono' }, m.id), m.default ? ' (default)' : '',
      m.aliases && m.aliases.length ? el('div', { class: 'note' }, `aliases: ${m.aliases.join(', ')}`) : null),
    el('td', { class: m.state === 'ready' ? 'status-completed' : 'status-failed' }, m.state, m.reason ? el('div', { class: 'note' }, m.reason) : null),
    el('td', {}, (m.pipelines || []).join(', ')),
    el('td', {}, m.has_audio ? 'yes' : 'no'),
    el('td', {}, (m.loras || []).map((l) => `${l.name} (${l.state})`).join(', ') || '—'),
    el('td', {}, [m.kind, m.notice, m.description].filter(Boolean).join(' — ')))));
  $('models-table').hidden = false;
}

function fillModelSelect() {
  const select = $('gen-model');
  const previous = select.value;
  select.replaceChildren(...models.map((m) => el('option', { value: m.id, selected: m.id === previous || (!previous && m.default) }, m.id)));
  fillPipelineSelect();
}

export function fillPipelineSelect() {
  const model = models.find((m) => m.id === $('gen-model').value);
  const select = $('gen-pipeline');
  const previous = select.value;
  const pipelines = model ? model.pipelines || [] : [];
  select.replaceChildren(el('option', { value: '' }, 'default'),
    ...pipelines.map((p) => el('option', { value: p, selected: p === previous }, p)));
}
