// The simulator's admin page (GET /admin): play the two admins of every pending link, inject a
// fault into the next call, see a campaign's accounts (one mini program's entries), and watch the
// API calls arrive (tokens masked). One static page of
// plain HTML and a little script over the /__sim/ control API; no library, nothing to build.

/** The page, served as is. */
export const ADMIN_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>WeChat simulator — admin</title>
<style>
  :root { font: 15px/1.45 system-ui, sans-serif; color: #1d2329; background: #f6f7f9; }
  body { margin: 0 auto; max-width: 1100px; padding: 1.5rem; }
  h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
  h2 { font-size: 1.1rem; margin: 1.75rem 0 .5rem; }
  p.lead { margin: 0 0 1rem; color: #4a5561; }
  table { border-collapse: collapse; width: 100%; background: #fff; box-shadow: 0 1px 2px #0001; }
  th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
  th { background: #eef1f4; font-weight: 600; }
  code { font: 13px ui-monospace, monospace; }
  button { font: inherit; padding: .25rem .6rem; margin: 0 .25rem .25rem 0; border: 1px solid #8a96a3; border-radius: 4px; background: #fff; cursor: pointer; }
  button:hover, button:focus-visible { background: #e8f0fe; outline: 2px solid #1a73e8; outline-offset: 1px; }
  button.primary { background: #1a7f37; border-color: #1a7f37; color: #fff; }
  button.danger { border-color: #b42318; color: #b42318; }
  .status-1 { color: #1a7f37; font-weight: 600; } .status-3 { color: #b42318; font-weight: 600; }
  .empty { color: #6b7785; font-style: italic; }
  #message { min-height: 1.4em; color: #1a73e8; }
  #log td { font: 13px ui-monospace, monospace; white-space: nowrap; }
  label { margin-right: .75rem; }
</style>
</head>
<body>
<header>
  <h1>WeChat simulator — admin</h1>
  <p class="lead">Play the official-account and mini-program admins of every link, and make WeChat misbehave. The page refreshes itself every second.</p>
</header>
<main>
  <p id="message" role="status" aria-live="polite"></p>
  <section aria-labelledby="links-title">
    <h2 id="links-title">Links per official account</h2>
    <table>
      <thead><tr><th scope="col">Official account</th><th scope="col">Mini program</th><th scope="col">Status</th><th scope="col">Meaning</th><th scope="col">Act as an admin</th></tr></thead>
      <tbody id="entries"><tr><td colspan="5" class="empty">Loading…</td></tr></tbody>
    </table>
  </section>
  <section aria-labelledby="campaign-title">
    <h2 id="campaign-title">A campaign's accounts</h2>
    <p><label for="campaign-mp">Mini program</label><input id="campaign-mp" placeholder="wx… (the campaign's mini program)" size="28"> <span id="campaign-summary" class="empty">Type a mini program's appid to see every account it was invited by.</span></p>
    <table>
      <thead><tr><th scope="col">Official account</th><th scope="col">Status</th><th scope="col">Meaning</th></tr></thead>
      <tbody id="campaign-accounts"></tbody>
    </table>
  </section>
  <section aria-labelledby="faults-title">
    <h2 id="faults-title">Make the next call fail</h2>
    <p>
      <label for="fault-account">Account</label><select id="fault-account"></select>
      <label for="fault-endpoint">API</label><select id="fault-endpoint"><option value="">any</option><option>wxamplinkget</option><option>wxamplink</option><option>wxampunlink</option></select>
    </p>
    <p>
      <button type="button" data-fault='{"errcode":-1,"errmsg":"system error"}'>-1 system busy</button>
      <button type="button" data-fault='{"httpStatus":502}'>HTTP 502</button>
      <button type="button" data-fault='{"rawBody":"{\\"errcode\\":0,\\"wxop"}'>garbage body</button>
      <button type="button" data-fault='{"errcode":45011,"errmsg":"api minute-quota reach limit"}'>45011 rate limit</button>
    </p>
  </section>
  <section aria-labelledby="log-title">
    <h2 id="log-title">API calls received (newest first, tokens masked)</h2>
    <table id="log">
      <thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">API</th><th scope="col">Account</th><th scope="col">Mini program</th><th scope="col">HTTP</th><th scope="col">errcode</th></tr></thead>
      <tbody id="calls"><tr><td colspan="7" class="empty">No calls yet.</td></tr></tbody>
    </table>
  </section>
</main>
<script>
const MEANING = { 1: 'linked', 2: 'waiting for the mini-program admin', 3: 'refused by the mini-program admin', 12: 'waiting for the official-account admin' };
const ACTIONS = {
  12: [['confirm-account', 'Confirm as account admin', 'primary'], ['vanish', 'Let the invitation lapse', 'danger']],
  2: [['confirm-mini-program', 'Confirm as mini-program admin', 'primary'], ['refuse', 'Refuse as mini-program admin', 'danger']],
};
const text = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const say = (message) => { document.getElementById('message').textContent = message; };

async function post(path, body) {
  const response = await fetch('/__sim/' + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.error || ('HTTP ' + response.status));
  return answer;
}

function actionsFor(entry) {
  if (entry.unlinkPending) return [['confirm-unlink', 'Confirm the unlink as account admin', 'primary']];
  return ACTIONS[entry.status] || (entry.status === 1 || entry.status === 3 ? [] : [['confirm-account', 'Confirm as account admin', 'primary']]);
}

function renderEntries(state) {
  const rows = state.entries.map((entry) => {
    const buttons = actionsFor(entry).map(([action, label, kind]) =>
      '<button type="button" class="' + kind + '" data-account="' + text(entry.accountAppId) + '" data-mp="' + text(entry.miniProgramAppId) + '" data-action="' + action + '" aria-label="' + text(label + ' for ' + entry.miniProgramAppId) + '">' + text(label) + '</button>').join('');
    const meaning = entry.unlinkPending ? 'unlink requested: waiting for the account admin' : (MEANING[entry.status] || 'undocumented status');
    return '<tr><td><code>' + text(entry.accountAppId) + '</code></td><td><code>' + text(entry.miniProgramAppId) + '</code><br>' + text(entry.item.nickname) + '</td>' +
      '<td class="status-' + entry.status + '">' + entry.status + '</td><td>' + text(meaning) + '</td><td>' + (buttons || '<span class="empty">nothing to do</span>') + '</td></tr>';
  });
  document.getElementById('entries').innerHTML = rows.join('') || '<tr><td colspan="5" class="empty">No links yet: start one with the worker.</td></tr>';
  const select = document.getElementById('fault-account');
  const chosen = select.value;
  select.innerHTML = state.accounts.map((a) => '<option' + (a.appId === chosen ? ' selected' : '') + '>' + text(a.appId) + '</option>').join('');
}

function renderCampaign(state) {
  const mp = document.getElementById('campaign-mp').value.trim();
  const rows = mp ? state.entries.filter((entry) => entry.miniProgramAppId === mp) : [];
  const counts = {};
  for (const entry of rows) counts[entry.status] = (counts[entry.status] || 0) + 1;
  document.getElementById('campaign-summary').textContent = mp
    ? rows.length + ' accounts: ' + (Object.entries(counts).map(([status, n]) => n + ' ' + (MEANING[status] || 'status ' + status)).join(', ') || 'none yet')
    : "Type a mini program's appid to see every account it was invited by.";
  document.getElementById('campaign-accounts').innerHTML = rows.slice(0, 200).map((entry) =>
    '<tr><td><code>' + text(entry.accountAppId) + '</code></td><td class="status-' + entry.status + '">' + entry.status + '</td><td>' + text(MEANING[entry.status] || 'undocumented status') + '</td></tr>').join('');
}

function renderCalls(calls) {
  const rows = calls.slice(-40).reverse().map((call) =>
    '<tr><td>' + call.seq + '</td><td>' + text(call.at.slice(11, 23)) + '</td><td>' + text(call.endpoint) + '</td><td>' + text(call.accountAppId ?? '(bad token)') + '</td><td>' + text(call.miniProgramAppId ?? '') + '</td><td>' + text(call.httpStatus ?? '…') + '</td><td>' + text(call.errcode ?? '') + '</td></tr>');
  document.getElementById('calls').innerHTML = rows.join('') || '<tr><td colspan="7" class="empty">No calls yet.</td></tr>';
}

async function refresh() {
  try {
    const [state, calls] = await Promise.all([fetch('/__sim/state').then((r) => r.json()), fetch('/__sim/calls').then((r) => r.json())]);
    renderEntries(state);
    renderCampaign(state);
    renderCalls(Array.isArray(calls) ? calls : calls.calls || []);
  } catch (error) {
    say('The simulator does not answer: ' + error.message);
  }
}

document.addEventListener('click', async (event) => {
  const button = event.target.closest('button');
  if (!button) return;
  try {
    if (button.dataset.action) {
      await post('act', { accountAppId: button.dataset.account, miniProgramAppId: button.dataset.mp, action: button.dataset.action });
      say(button.dataset.action + ' done for ' + button.dataset.mp);
    } else if (button.dataset.fault) {
      const account = document.getElementById('fault-account').value;
      const endpoint = document.getElementById('fault-endpoint').value;
      await post('faults', Object.assign({}, account && { accountAppId: account }, endpoint && { endpoint }, JSON.parse(button.dataset.fault)));
      say('The next ' + (endpoint || 'call') + (account ? ' of ' + account : '') + ' will fail: ' + button.textContent);
    }
  } catch (error) {
    say('Could not do that: ' + error.message);
  }
  refresh();
});

refresh();
setInterval(refresh, 1000);
</script>
</body>
</html>
`;
