// The generation form as a request body: the fields the user filled in (empty ones left to the server's defaults),
// typed as the API documents them, and the chosen files.
import { $ } from './dom.js';

export const endpoints = {
  'text-to-video': '/v1/text-to-video',
  'image-to-video': '/v1/image-to-video',
  'audio-to-video': '/v1/audio-to-video',
};

const numberFields = { 'gen-duration': 'duration', 'gen-steps': 'steps', 'gen-guidance': 'guidance_scale', 'gen-seed': 'seed', 'gen-fps': 'fps' };
const textFields = { 'gen-model': 'model', 'gen-prompt': 'prompt', 'gen-negative': 'negative_prompt', 'gen-pipeline': 'pipeline',
  'gen-resolution': 'resolution', 'gen-format': 'output_format' };

export function kind() {
  return $('gen-kind').value;
}

// Shows the file pickers the task takes: an image for image-to-video (required) and audio-to-video (optional).
export function showInputs() {
  const k = kind();
  $('gen-image-label').hidden = k === 'text-to-video';
  $('gen-audio-file-label').hidden = k !== 'audio-to-video';
  // audio-to-video's soundtrack is the input audio: the API takes no generate_audio there.
  $('gen-audio').disabled = k === 'audio-to-video';
}

export function fields() {
  const body = {};
  for (const [id, name] of Object.entries(textFields)) {
    const value = $(id).value.trim();
    if (value !== '') body[name] = value;
  }
  for (const [id, name] of Object.entries(numberFields)) {
    const value = $(id).value.trim();
    if (value !== '') body[name] = Number(value);
  }
  if (kind() !== 'audio-to-video') body.generate_audio = $('gen-audio').checked;
  return body;
}

export function files() {
  const chosen = {};
  const image = $('gen-image').files[0];
  const audio = $('gen-audio-file').files[0];
  if (kind() !== 'text-to-video' && image) chosen.image = image;
  if (kind() === 'audio-to-video' && audio) chosen.audio = audio;
  return chosen;
}

// What POST takes: JSON when there is no file, else multipart with each field as text (the server parses them
// as JSON would have typed them) and the files under the API's field names ('image', 'audio').
export function submission() {
  const body = fields();
  const chosen = files();
  if (Object.keys(chosen).length === 0) return { json: body };
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) form.append(name, String(value));
  for (const [name, file] of Object.entries(chosen)) form.append(name, file, file.name);
  return { form };
}

// The sweep's base request must be JSON: the chosen files go in as data: URIs (image_uri, audio_uri).
export async function jsonWithFiles() {
  const body = fields();
  for (const [name, file] of Object.entries(files())) body[`${name}_uri`] = await dataUri(file);
  return body;
}

function dataUri(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}
