// The boot dashboard: tiles from /api/boots, kept live by the /api/events stream; a node's boot as a
// waterfall from /api/nodes/{name}/boots; leases and transfers polled. Text from the server is only
// ever set as textContent, never parsed as HTML.
'use strict';

// Relative to the page, without any user:password@ the address bar may hold (fetch refuses those).
const base = new URL('.', location.origin + location.pathname);
const STAGES = ['waiting', 'dhcp', 'loader', 'kernel', 'ramdisk', 'done', 'failed'];
const STAGE_NAMES = { waiting: 'waiting', dhcp: 'DHCP', loader: 'loader', kernel: 'kernel', ramdisk: 'RAM disk',
  done: 'done', failed: 'failed' };
const tiles = new Map();
let selected = null;

function api(path) {
  return fetch(new URL('api/' + path, base), { headers: { Accept: 'application/json' }, cache: 'no-store' })
    .then(response => {
      if (!response.ok) {
        throw new Error(path + ': HTTP ' + response.status);
      }
      return response.json();
    });
}

function element(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function showTile(tile) {
  let button = tiles.get(tile.name);
  if (!button) {
    button = element('button', 'tile');
    button.dataset.name = tile.name;
    button.append(element('span', 'name'), element('span', 'stage'), element('span', 'why'));
    button.addEventListener('click', () => openBoot(tile.name));
    tiles.set(tile.name, button);
    const after = [...tiles.keys()].sort().find(name => name > tile.name);
    document.getElementById('tiles').insertBefore(button, after ? tiles.get(after) : null);
  }
  button.className = 'tile stage-' + tile.stage + (tile.name === selected ? ' selected' : '');
  button.dataset.stage = tile.stage;
  button.dataset.group = tile.group || '';
  button.querySelector('.name').textContent = tile.name;
  button.querySelector('.stage').textContent = STAGE_NAMES[tile.stage] || tile.stage;
  button.querySelector('.why').textContent = tile.reason || '';
  button.title = tile.name + ' ' + tile.mac + (tile.reason ? '\n' + tile.reason : '');
  addGroup(tile.group);
  filter();
}

function addGroup(group) {
  const select = document.getElementById('group');
  if (group && ![...select.options].some(o => o.value === group)) {
    select.append(new Option(group, group));
  }
}

function filter() {
  const group = document.getElementById('group').value;
  for (const button of tiles.values()) {
    button.hidden = group !== '' && button.dataset.group !== group;
  }
}

function loadTiles() {
  return api('boots').then(list => {
    const names = new Set(list.map(t => t.name));
    for (const [name, button] of tiles) {
      if (!names.has(name)) { button.remove(); tiles.delete(name); }
    }
    list.forEach(showTile);
    document.getElementById('no-nodes').hidden = list.length > 0;
  });
}

function sizeText(bytes) {
  if (bytes < 1024) return bytes + ' B';
  if (bytes < 1048576) return (bytes / 1024).toFixed(1) + ' KiB';
  return (bytes / 1048576).toFixed(1) + ' MiB';
}

function secondsText(ms) {
  return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
}

// Each file is one bar from its start to its end (an end event carries the transfer's duration);
// DHCP steps and refusals are marks at their time.
function waterfallRows(node, boot) {
  const rows = [];
  const open = new Map();
  const role = file => {
    const clean = f => (f || '').replace(/^\//, '');
    if (node.bootFiles.kernel && file.endsWith(clean(node.bootFiles.kernel))) return 'kernel';
    if (node.bootFiles.initrd && file.endsWith(clean(node.bootFiles.initrd))) return 'ramdisk';
    return 'file';
  };
  for (const e of boot.events) {
    const file = e.detail.split(/[ :]/)[0];
    const key = e.protocol + ' ' + file;
    if (e.kind === 'FILE_STARTED') {
      const row = { label: e.protocol + ' ' + file, kind: role(file) + ' running', start: e.at, end: e.at,
        facts: 'started' };
      open.set(key, row);
      rows.push(row);
    } else if (['FILE_SENT', 'FILE_RECEIVED', 'FILE_FAILED'].includes(e.kind)) {
      const row = open.get(key) || { label: e.protocol + ' ' + file };
      if (!open.has(key)) rows.push(row);
      open.delete(key);
      row.start = Math.max(0, e.at - e.durationMillis);
      row.end = e.at;
      const failed = e.failure || e.kind === 'FILE_FAILED';
      row.kind = role(file) + (failed ? ' failed' : '');
      row.facts = sizeText(e.bytes) + ' in ' + secondsText(e.durationMillis);
      if (failed) row.reason = e.detail;
    } else {
      rows.push({ label: e.protocol + ' ' + e.kind + (e.kind === 'FILE_REFUSED' ? ' ' + file : ''),
        kind: (e.kind === 'FILE_REFUSED' ? 'file' : 'dhcp') + (e.failure ? ' failed' : ''),
        start: e.at, end: e.at, facts: e.failure ? e.detail : (e.kind === 'FILE_REFUSED' ? 'refused' : ''),
        reason: e.failure ? e.detail : undefined });
    }
  }
  return rows;
}

function showBoot(data) {
  const section = document.getElementById('boot');
  section.hidden = false;
  document.getElementById('boot-node').textContent = data.node.name + ' (' + data.node.mac + ')';
  const badge = document.getElementById('boot-stage');
  badge.textContent = STAGE_NAMES[data.tile.stage] || data.tile.stage;
  badge.className = 'badge stage-' + data.tile.stage;
  const waterfall = document.getElementById('waterfall');
  waterfall.replaceChildren();
  const reason = document.getElementById('boot-reason');
  reason.hidden = !data.tile.reason;
  reason.textContent = data.tile.reason || '';
  if (data.boots.length === 0) {
    document.getElementById('boot-summary').textContent = 'No boot kept for this node yet.';
    return;
  }
  const boot = data.boots[0];
  const rows = waterfallRows(data.node, boot);
  const total = Math.max(1, ...rows.map(r => r.end));
  document.getElementById('boot-summary').textContent = 'Started ' + new Date(boot.started).toLocaleString()
    + ', ' + secondsText(total) + ' shown' + (boot.omittedEvents ? ', ' + boot.omittedEvents
    + ' events in the middle not kept' : '') + '.';
  for (const r of rows) {
    const row = element('div', 'row ' + r.kind);
    row.append(element('span', 'label', r.label));
    const track = element('span', 'track');
    const bar = element('span', 'bar');
    bar.style.left = (100 * r.start / total) + '%';
    bar.style.width = (100 * (r.end - r.start) / total) + '%';
    bar.title = '+' + secondsText(r.start) + (r.reason ? ' ' + r.reason : '');
    track.append(bar);
    row.append(track, element('span', 'facts', r.facts || '+' + secondsText(r.start)));
    if (r.reason) row.title = r.reason;
    waterfall.append(row);
  }
}

function openBoot(name) {
  selected = name;
  for (const [n, button] of tiles) button.classList.toggle('selected', n === name);
  return api('nodes/' + encodeURIComponent(name) + '/boots').then(showBoot).catch(console.error);
}

let bootRefresh = null;
function listen() {
  const live = document.getElementById('live');
  const events = new EventSource(new URL('api/events', base));
  events.onopen = () => { live.textContent = 'live'; live.className = 'live on'; loadTiles().catch(console.error); };
  events.onerror = () => { live.textContent = 'reconnecting'; live.className = 'live off'; };
  events.addEventListener('tile', message => {
    const tile = JSON.parse(message.data);
    showTile(tile);
    document.getElementById('no-nodes').hidden = true;
    if (tile.name === selected && !bootRefresh) {
      bootRefresh = setTimeout(() => { bootRefresh = null; openBoot(selected); }, 500);
    }
  });
}

function loadLeases() {
  return api('leases').then(networks => {
    const box = document.getElementById('leases');
    box.replaceChildren();
    for (const net of networks) {
      const active = net.leases.filter(l => l.active).length;
      const pool = net.pool ? ' - pool ' + net.pool.size + ' addresses, ' + net.pool.bound + ' bound, '
        + net.pool.free + ' free' : '';
      box.append(element('h3', null, (net.subnet || net.name) + ' (' + net.name + ')' + pool + ': '
        + active + ' active lease(s)'));
      const table = element('table');
      const head = element('tr');
      ['address', 'MAC', 'state', 'expires'].forEach(h => head.append(element('th', null, h)));
      table.append(head);
      for (const l of net.leases) {
        const tr = element('tr');
        [l.address, l.mac, l.active ? l.state : l.state + ' (expired)', new Date(l.expires).toLocaleString()]
          .forEach(v => tr.append(element('td', null, v)));
        table.append(tr);
      }
      box.append(table);
    }
    if (networks.length === 0) box.append(element('p', 'hint', 'No DHCP subnet configured and no lease.'));
  });
}

function loadTransfers() {
  return api('transfers').then(list => {
    const body = document.querySelector('#transfers tbody');
    body.replaceChildren();
    for (const t of list) {
      const tr = element('tr');
      tr.append(element('td', null, t.protocol), element('td', null, t.client), element('td', null, t.file));
      const cell = element('td');
      const bar = element('progress');
      if (t.size > 0) { bar.max = t.size; bar.value = t.bytesSent; }
      cell.append(bar, document.createTextNode(' ' + sizeText(t.bytesSent) + (t.size > 0 ? ' of '
        + sizeText(t.size) : '')));
      tr.append(cell, element('td', null, new Date(t.started).toLocaleTimeString()));
      body.append(tr);
    }
    if (list.length === 0) {
      const tr = element('tr');
      const td = element('td', 'hint', 'none');
      td.colSpan = 5;
      tr.append(td);
      body.append(tr);
    }
  });
}

function every(ms, load) {
  const run = () => load().catch(console.error).finally(() => setTimeout(run, ms));
  run();
}

document.addEventListener('DOMContentLoaded', () => {
  const legend = document.getElementById('legend');
  for (const s of STAGES) {
    const li = element('li', null, STAGE_NAMES[s]);
    li.style.setProperty('--c', 'var(--' + s + ')');
    legend.append(li);
  }
  document.getElementById('group').addEventListener('change', filter);
  loadTiles().catch(console.error);
  listen();
  every(2000, loadTransfers);
  every(5000, loadLeases);
});
