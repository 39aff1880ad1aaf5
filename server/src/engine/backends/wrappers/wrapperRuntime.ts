// The body of every generated wrapper: plain CommonJS run by an absolute node (the shebang), because
// node is always where OpenClaw runs, needs no PATH, and parses JSON without jq. It reads the
// protocol-v1 request on stdin, runs the backend's CLI once per secret name (no shell, values never
// in argv), and prints values plus per-id errors. The recipe arrives as the CONFIG constant above it.
export const WRAPPER_RUNTIME = String.raw`'use strict';
const { spawn } = require('node:child_process');

const MAX_REQUEST_BYTES = 1024 * 1024;
const MAX_TOOL_OUTPUT_BYTES = 1024 * 1024;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/#-]{0,255}$/;
const CONCURRENCY = 4;
const children = new Set();

function die(message) {
  process.stderr.write(CONFIG.label + ' wrapper: ' + message + '\n');
  process.exit(2);
}

// Only a fixed PATH, the locations baked in at generation time, and the variables OpenClaw passes.
function childEnv() {
  const env = Object.create(null);
  for (const key of Object.keys(CONFIG.env)) env[key] = CONFIG.env[key];
  for (const key of CONFIG.passEnv) {
    const value = process.env[key];
    if (typeof value === 'string' && value !== '') env[key] = value;
  }
  env.PATH = CONFIG.path;
  env.LC_ALL = 'C';
  return env;
}

function fill(template, name, field) {
  return template
    .split('{name}').join(name)
    .split('{field}').join(field)
    .replace(/\{tool:([A-Za-z0-9_-]+)\}/g, (_, tool) => CONFIG.tools[tool])
    .replace(/\{opt:([A-Za-z0-9_-]+)\}/g, (_, key) => CONFIG.options[key]);
}

function readArgv(name, field) {
  const argv = CONFIG.read.argv.map((a) => fill(a, name, field));
  for (const extra of CONFIG.read.optionalArgv || [])
    if (typeof CONFIG.options[extra.option] === 'string') for (const a of extra.argv) argv.push(fill(a, name, field));
  return argv;
}

// What the backend is asked for: the secret's name, a JSON key inside it, or a field argument.
function splitId(id) {
  const hash = id.indexOf('#');
  const prefix = CONFIG.read.namePrefix || '';
  if (CONFIG.read.hash === 'none' || hash < 0)
    return { name: prefix + id, key: undefined, field: CONFIG.read.defaultField || '' };
  const name = prefix + id.slice(0, hash);
  const rest = id.slice(hash + 1);
  if (CONFIG.read.hash === 'json') return { name, key: rest, field: CONFIG.read.defaultField || '' };
  return { name, key: undefined, field: rest };
}

// One deadline for the whole request, short of OpenClaw's timeout: the answer (with per-id errors for
// what is still running) always arrives before OpenClaw gives up on the wrapper.
const DEADLINE = Date.now() + CONFIG.toolTimeoutMs;

// Each CLI runs in its own process group, so a kill also reaches what it started (gpg, python, ...).
function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

function runTool(argv) {
  return new Promise((resolve) => {
    let out = Buffer.alloc(0);
    let err = '';
    let overflow = false;
    let timedOut = false;
    let exited = false;
    let settled = false;
    const finish = (result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      children.delete(child);
      resolve(result);
    };
    const child = spawn(argv[0], argv.slice(1), {
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: '/',
      detached: true,
    });
    children.add(child);
    // At the deadline the group is killed; the answer waits for the CLI itself to be gone, not its pipes.
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
      if (exited) finish({ timedOut: true });
    }, Math.max(0, DEADLINE - Date.now()));
    child.stdout.on('data', (chunk) => {
      if (out.length + chunk.length > MAX_TOOL_OUTPUT_BYTES) {
        overflow = true;
        killGroup(child);
        return;
      }
      out = Buffer.concat([out, chunk]);
    });
    // stderr is kept only to classify the failure; it is never printed.
    child.stderr.on('data', (chunk) => {
      if (err.length < 65536) err += chunk.toString('utf8');
    });
    child.on('error', (e) => finish({ spawnError: e.code || 'spawn failed' }));
    child.on('exit', () => {
      exited = true;
      if (timedOut) finish({ timedOut: true });
    });
    child.on('close', (code, signal) =>
      finish(timedOut ? { timedOut: true } : { code, signal, stdout: out.toString('utf8'), stderr: err, overflow }),
    );
  });
}

function classify(result) {
  const text = (result.stderr || '') + '\n' + (result.code === 0 ? '' : result.stdout || '');
  const empty = text.trim() === '';
  for (const rule of CONFIG.read.failures) {
    if (rule.exitCode !== undefined && rule.exitCode !== result.code) continue;
    if (rule.emptyOutput && !empty) continue;
    if (rule.pattern !== '' && !new RegExp(rule.pattern, 'i').test(text)) continue;
    return { code: rule.code, cause: rule.cause };
  }
  return { code: 'TOOL_FAILED', cause: CONFIG.tool + ' exited with status ' + result.code };
}

function pick(doc, path) {
  let cur = doc;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

// The value from a successful run, or the cause when the output has another shape.
function extract(stdout) {
  const shape = CONFIG.read.output;
  if (shape.kind === 'firstLine') return { value: stdout.split(/\r?\n/, 1)[0] };
  if (shape.kind === 'text') return { value: stdout.replace(/\r?\n$/, '') };
  let doc;
  try {
    doc = JSON.parse(stdout);
  } catch {
    return { cause: CONFIG.tool + ' printed no JSON' };
  }
  for (const path of shape.paths) {
    const v = pick(doc, path);
    if (typeof v === 'string') return { value: v };
  }
  return { cause: CONFIG.tool + ' printed no string at ' + shape.paths.map((p) => p.join('.')).join(' or ') + ' (binary secret?)' };
}

// One CLI run per distinct name+field; ids that share a JSON secret share its run.
const runs = new Map();
function fetchName(name, field) {
  const key = name + '\u0000' + field;
  if (!runs.has(key)) runs.set(key, runTool(readArgv(name, field)));
  return runs.get(key);
}

async function resolveId(id) {
  const { name, key, field } = splitId(id);
  const result = await fetchName(name, field);
  if (result.spawnError)
    return { error: { code: 'TOOL_MISSING', message: 'id "' + id + '": ' + CONFIG.tool + ' could not be started (' + result.spawnError + '); regenerate the wrapper' } };
  if (result.timedOut)
    return { error: { code: 'UNAVAILABLE', message: 'id "' + id + '": ' + CONFIG.tool + ' did not answer within the provider timeout (stopped)' } };
  if (result.overflow)
    return { error: { code: 'BAD_OUTPUT', message: 'id "' + id + '": ' + CONFIG.tool + ' printed more than ' + MAX_TOOL_OUTPUT_BYTES + ' bytes' } };
  if (result.code !== 0) {
    const c = classify(result);
    return { error: { code: c.code, message: 'id "' + id + '": ' + c.cause } };
  }
  const got = extract(result.stdout);
  if (got.value === undefined) return { error: { code: 'BAD_OUTPUT', message: 'id "' + id + '": ' + got.cause } };
  if (key === undefined) return { value: got.value };
  let doc;
  try {
    doc = JSON.parse(got.value);
  } catch {
    return { error: { code: 'BAD_OUTPUT', message: 'id "' + id + '": the secret is not a JSON object, so #' + key + ' cannot be picked' } };
  }
  const v = pick(doc, [key]);
  if (typeof v !== 'string')
    return { error: { code: 'NOT_FOUND', message: 'id "' + id + '": the JSON secret has no string key "' + key + '"' } };
  return { value: v };
}

async function main(raw) {
  let request;
  try {
    request = JSON.parse(raw);
  } catch {
    die('the request on stdin is not JSON');
  }
  if (!request || request.protocolVersion !== 1 || !Array.isArray(request.ids))
    die('expected a protocol v1 request with an ids array');
  const ids = [...new Set(request.ids.filter((id) => typeof id === 'string'))];
  const values = Object.create(null);
  const errors = Object.create(null);
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      if (!ID_PATTERN.test(id)) {
        errors[id] = { code: 'NOT_FOUND', message: 'id is not a valid exec SecretRef id' };
        continue;
      }
      const r = await resolveId(id);
      if (r.error) errors[id] = r.error;
      else values[id] = r.value;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const response = { protocolVersion: 1, values };
  if (Object.keys(errors).length > 0) response.errors = errors;
  process.stdout.write(JSON.stringify(response));
}

// Children die with the wrapper: OpenClaw's timeout sends a signal, and no CLI may outlive the answer.
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'])
  process.on(sig, () => {
    for (const child of children) killGroup(child);
    process.exit(1);
  });

const chunks = [];
let size = 0;
process.stdin.on('data', (chunk) => {
  size += chunk.length;
  if (size > MAX_REQUEST_BYTES) die('the request is larger than ' + MAX_REQUEST_BYTES + ' bytes');
  chunks.push(chunk);
});
process.stdin.on('end', () => {
  main(Buffer.concat(chunks).toString('utf8')).catch((e) => die('internal error: ' + (e && e.message)));
});
`;
