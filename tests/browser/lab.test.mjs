// JupyterLab 4 in headless Chromium against the Ferry kernel.
//
//   cd tests/browser && npm ci && JUPYTER_PATH=<prefix>/share/jupyter FERRY_KERNEL_NAME=ferry node --test lab.test.mjs
//
// Environment:
//   FERRY_KERNEL_NAME   kernelspec to open the notebook with (default: ferry)
//   JUPYTER_PATH        where that kernelspec is installed (passed to the Jupyter server)
//   FERRY_LAB_VENV      virtualenv with jupyterlab (default: ~/.cache/ferry/lab-venv; install/system-deps.sh --browser)
//   FERRY_CHROMIUM      browser binary (default: /usr/bin/chromium)
//   FERRY_LAB_SELFCHECK=python   check the harness itself against a Python kernel (FERRY_KERNEL_NAME=python3)
//   FERRY_LAB_KEEP=1    keep the temp dir (server log, screenshots) after the run
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const KERNEL = process.env.FERRY_KERNEL_NAME || 'ferry';
const VENV = process.env.FERRY_LAB_VENV || path.join(os.homedir(), '.cache', 'ferry', 'lab-venv');
const CHROMIUM = process.env.FERRY_CHROMIUM || '/usr/bin/chromium';
const PY = process.env.FERRY_LAB_SELFCHECK === 'python';
const CODE = PY ? 'print("hello from lab")' : 'System.out.println("hello from lab")';
const PREFIX = PY ? 'pri' : 'Syst';
const WANT = PY ? 'print' : 'System';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-lab-'));
const root = path.join(work, 'root');
const token = crypto.randomBytes(24).toString('hex');
let port;
let server;
let serverLog = '';
let context;
let page;

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port: p } = srv.address();
      srv.close(() => resolve(p));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function api(p, init = {}) {
  const res = await fetch(`http://127.0.0.1:${port}${p}`, {
    ...init,
    headers: { Authorization: `token ${token}`, ...(init.headers || {}) },
  });
  return res;
}

function diagnostics() {
  return `\n--- jupyter lab log (last 6000 chars) ---\n${serverLog.slice(-6000)}\n--- work dir: ${work}`;
}

async function screenshot(name) {
  if (!page) return;
  try {
    await page.screenshot({ path: path.join(work, `${name}.png`), fullPage: true });
  } catch {
    /* ignore */
  }
}

before(async () => {
  const jupyter = path.join(VENV, 'bin', 'jupyter');
  assert.ok(fs.existsSync(jupyter),
    `JupyterLab venv missing: ${jupyter} not found (run install/system-deps.sh --browser or set FERRY_LAB_VENV)`);
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} not found (run install/system-deps.sh --browser or set FERRY_CHROMIUM)`);

  fs.mkdirSync(root, { recursive: true });
  // a notebook bound to the kernel under test, with one empty code cell
  const nb = {
    cells: [{ cell_type: 'code', execution_count: null, id: 'c0', metadata: {}, outputs: [], source: [] }],
    metadata: {
      kernelspec: { name: KERNEL, display_name: PY ? 'Python 3' : 'Java (Ferry)', language: PY ? 'python' : 'java' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  fs.writeFileSync(path.join(root, 'x.ipynb'), JSON.stringify(nb, null, 1));

  // isolated Lab settings: no news/update toasts over the page
  const settings = path.join(work, 'settings');
  fs.mkdirSync(path.join(settings, '@jupyterlab', 'apputils-extension'), { recursive: true });
  fs.writeFileSync(path.join(settings, '@jupyterlab', 'apputils-extension', 'notification.jupyterlab-settings'),
    JSON.stringify({ fetchNews: 'false', checkForUpdates: false }));

  port = await freePort();
  const env = {
    ...process.env,
    JUPYTER_CONFIG_DIR: path.join(work, 'config'),
    JUPYTER_RUNTIME_DIR: path.join(work, 'runtime'),
    JUPYTER_DATA_DIR: path.join(work, 'data'),
    JUPYTERLAB_SETTINGS_DIR: settings,
    JUPYTERLAB_WORKSPACES_DIR: path.join(work, 'workspaces'),
    FERRY_DATA_DIR: path.join(work, 'ferry-data'),
  };
  server = spawn(jupyter, ['lab', '--no-browser', `--port=${port}`, '--ServerApp.port_retries=0',
    `--ServerApp.token=${token}`, '--ServerApp.ip=127.0.0.1', `--ServerApp.root_dir=${root}`,
    '--LabApp.news_url=None', ...(process.getuid?.() === 0 ? ['--allow-root'] : [])], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { serverLog += d; });
  server.stderr.on('data', (d) => { serverLog += d; });
  let exited = null;
  server.on('exit', (code) => { exited = code; });

  const deadline = Date.now() + 90_000;
  for (;;) {
    assert.equal(exited, null, `jupyter lab exited early (${exited})${diagnostics()}`);
    try {
      const res = await api('/api/status');
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    assert.ok(Date.now() < deadline, `jupyter lab did not answer within 90 s${diagnostics()}`);
    await sleep(250);
  }
  const specs = await (await api('/api/kernelspecs')).json();
  assert.ok(specs.kernelspecs[KERNEL],
    `kernelspec '${KERNEL}' unknown to the server (JUPYTER_PATH=${process.env.JUPYTER_PATH}); has: ${Object.keys(specs.kernelspecs)}`);
  globalThis.displayName = specs.kernelspecs[KERNEL].spec.display_name;

  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
  });
  page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => { serverLog += `\n[pageerror] ${e}`; });
});

after(async () => {
  try { await context?.close(); } catch { /* ignore */ }
  if (server && server.exitCode === null) {
    try { await api('/api/shutdown', { method: 'POST' }); } catch { /* ignore */ }
    const t0 = Date.now();
    while (server.exitCode === null && Date.now() - t0 < 10_000) await sleep(100);
    if (server.exitCode === null) server.kill('SIGKILL');
  }
  if (!process.env.FERRY_LAB_KEEP) fs.rmSync(work, { recursive: true, force: true });
});

async function kernelStatusText() {
  return page.evaluate(() => document.querySelector('#jp-main-statusbar')?.innerText ?? '');
}

async function failIfDialog() {
  const dlg = page.locator('.jp-Dialog');
  if (await dlg.count()) {
    const text = await dlg.first().innerText();
    await screenshot('dialog');
    assert.fail(`JupyterLab shows a dialog: ${text}${diagnostics()}`);
  }
}

test('JupyterLab runs a cell and completes on the Ferry kernel', { timeout: 240_000 }, async () => {
  await page.goto(`http://127.0.0.1:${port}/lab/tree/x.ipynb?token=${token}`);
  await page.locator('.jp-Notebook .jp-Cell').first().waitFor({ timeout: 60_000 });

  // kernel status: "<display name> | Idle" in the status bar
  const deadline = Date.now() + 90_000;
  let status = '';
  for (;;) {
    await failIfDialog();
    status = await kernelStatusText();
    if (/\|\s*Idle/.test(status) && status.includes(globalThis.displayName)) break;
    if (Date.now() > deadline) {
      await screenshot('no-idle');
      assert.fail(`kernel status never became Idle; status bar: ${JSON.stringify(status)}${diagnostics()}`);
    }
    await sleep(250);
  }

  // type a cell and run it
  const editor = page.locator('.jp-Notebook .jp-Cell').first().locator('.cm-content');
  await editor.click();
  await page.keyboard.type(CODE);
  await page.keyboard.press('Shift+Enter');
  const out = page.locator('.jp-OutputArea-output', { hasText: 'hello from lab' });
  try {
    await out.first().waitFor({ timeout: 60_000 });
  } catch (e) {
    await screenshot('no-output');
    assert.fail(`output 'hello from lab' did not appear: ${e}\nstatus bar: ${await kernelStatusText()}${diagnostics()}`);
  }
  const outText = await out.first().innerText();
  assert.equal(outText.trim(), 'hello from lab');
  // no error output
  assert.equal(await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').count(), 0);

  // completion: "Syst" + Tab -> System
  const cells = page.locator('.jp-Notebook .jp-Cell');
  await cells.nth(1).waitFor({ timeout: 10_000 });
  const editor2 = cells.nth(1).locator('.cm-content');
  await editor2.click();
  await page.keyboard.type(PREFIX);
  // either the completer lists the item, or (a single match) Lab inserts it right away. Tab is pressed
  // again (up to 3 times, while the cell still holds just the prefix) in case the first press came before
  // Lab had wired the completer to the new cell.
  const probe = (want) => {
    const items = [...document.querySelectorAll('.jp-Completer .jp-Completer-item')];
    const listed = items.some((li) => (li.getAttribute('data-value') || li.innerText || '').trim().split(/\s/)[0] === want);
    if (listed) return 'listed';
    const cellsNow = document.querySelectorAll('.jp-Notebook .jp-Cell');
    const text = cellsNow[1]?.querySelector('.cm-content')?.innerText?.trim();
    if (text === want) return 'inserted';
    return false;
  };
  let found = false;
  let presses = 0;
  let lastError;
  while (!found && presses < 3) {
    const text = (await editor2.innerText()).trim();
    if (text !== PREFIX) break;
    await page.keyboard.press('Tab');
    presses += 1;
    found = await page.waitForFunction(probe, WANT, { timeout: 10_000 })
      .then((h) => h.jsonValue()).catch((e) => { lastError = e; return false; });
  }
  if (!found) {
    await screenshot('no-completion');
    const items = await page.locator('.jp-Completer-item').allInnerTexts();
    assert.fail(`no completion '${WANT}' after ${presses} Tab press(es): ${lastError}; cell text: `
      + `${JSON.stringify(await editor2.innerText())}; completer items: ${JSON.stringify(items)}${diagnostics()}`);
  }
  console.log(`completion of '${PREFIX}' after ${presses} Tab press(es): ${WANT} ${found}`);
  await screenshot('done');
});
