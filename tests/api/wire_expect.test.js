'use strict';
// Expect: 100-continue with a declared body over the limit (contract §1:
// 413): the server answers at once instead of inviting the body.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const h = require('./harness');

// Sends only the request head and resolves with the first bytes answered
// (or rejects after `ms` without an answer).
function headOnly(port, head, ms = 5000) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => { sock.destroy(); reject(new Error(`no answer within ${ms} ms; got ${JSON.stringify(data)}`)); }, ms);
    sock.setEncoding('utf8');
    sock.on('data', (d) => {
      data += d;
      if (/\r\n\r\n/.test(data)) { clearTimeout(timer); sock.destroy(); resolve(data); }
    });
    sock.on('error', (err) => { clearTimeout(timer); reject(err); });
    sock.write(head);
  });
}

describe('Expect: 100-continue and the body limit', () => {
  let s;
  before(async () => { s = await h.startServer(); });
  after(async () => { if (s) await s.stop(); });

  it('a declared 200 MiB JSON body gets 413 without a 100 Continue', async () => {
    const head = 'POST /api/v2/sso/signup/ HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      `Authorization: Bearer ${s.admin.token}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${200 << 20}\r\nExpect: 100-continue\r\n\r\n`;
    const answer = await headOnly(s.port, head);
    assert.match(answer, /^HTTP\/1\.1 413 /, answer);
  });

  it('within the limit, the server still invites the body', async () => {
    const head = 'POST /api/v2/sso/signup/ HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
      `Authorization: Bearer ${s.admin.token}\r\nContent-Type: application/json\r\n` +
      'Content-Length: 20\r\nExpect: 100-continue\r\n\r\n';
    const answer = await headOnly(s.port, head);
    assert.match(answer, /^HTTP\/1\.1 100 /, answer);
  });
});
