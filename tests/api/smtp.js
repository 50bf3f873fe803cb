'use strict';
// A real SMTP server for the API tests: tests/api/smtp_sink.py (Debian's
// python3-aiosmtpd) on a loopback port, started and stopped by PID. Each
// delivered message becomes a JSON record (envelope, raw text, header
// lines, decoded subject, text and HTML bodies) the tests read.

const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const SINK = path.join(__dirname, 'smtp_sink.py');
const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { process.kill(child.pid, 'SIGKILL'); } catch (_) { /* gone */ }
  }
});

function spawnSink(dir, port) {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [SINK, '--dir', dir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`smtp sink did not start: ${err}`)), 10000);
    child.stderr.setEncoding('utf8').on('data', (d) => { err += d; });
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const m = /port (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        // a sink a failed test never stops must not keep the test process
        // alive (it is killed at exit); stopChild holds it again
        child.unref();
        child.stdout.unref();
        child.stderr.unref();
        resolve({ child, port: Number(m[1]) });
      }
    });
    child.on('exit', (code) => { live.delete(child); clearTimeout(timer); reject(new Error(`smtp sink exited ${code}: ${err}`)); });
  });
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) { resolve(); return; }
    child.ref();
    child.once('exit', () => resolve());
    process.kill(child.pid, 'SIGTERM');
  });
}

/** Starts the sink on a free loopback port; returns helpers. */
async function startSmtpSink() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hearth-smtp-'));
  let { child, port } = await spawnSink(dir, 0);
  const sink = {
    port,
    dir,
    url: `smtp://127.0.0.1:${port}`,
    // Every message delivered so far, in order.
    messages() {
      return fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()
        .map((n) => JSON.parse(fs.readFileSync(path.join(dir, n), 'utf8')));
    },
    // The messages to `address` (envelope recipient, case-insensitive).
    to(address) {
      const a = address.toLowerCase();
      return sink.messages().filter((m) => m.rcpt_tos.some((r) => r.toLowerCase() === a));
    },
    // Waits until `count` messages to `address` arrived; returns them.
    async waitFor(address, count = 1, timeoutMs = 15000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = sink.to(address);
        if (got.length >= count) return got;
        if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms (have ${got.length})`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    // Stops the server (mail then cannot be delivered) and starts it again
    // on the same port.
    async down() { await stopChild(child); },
    async up() { ({ child } = await spawnSink(dir, port)); },
    async stop() {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return sink;
}

/** A message file (.eml) parsed as the sink records messages. */
function parseEml(file) {
  return JSON.parse(execFileSync(PYTHON, [SINK, '--parse', file], { encoding: 'utf8' }));
}

/** The validation code a message carries (from its link). */
function codeOf(message) {
  const m = /validation_code=([0-9a-f]+)/.exec(message.text || '');
  if (!m) throw new Error(`no validation code in: ${message.text}`);
  return m[1];
}

module.exports = { startSmtpSink, parseEml, codeOf };
