'use strict';
// Names and free text (docs/api.md "Names and free text"): control
// characters, bidirectional controls and zero-width characters are refused
// in usernames and in the profile's display text (real_name, location, and
// bio and description but for their line breaks), with a 400 field error and
// nothing changed; stored text is NFC.

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness');

const { expectStatus, expectFieldError } = h;

const FORBIDDEN = [
  ['BEL (C0)', '\u0007'],
  ['tab (C0)', '\t'],
  ['DEL', '\u007f'],
  ['NEL (C1)', '\u0085'],
  ['RIGHT-TO-LEFT OVERRIDE', '\u202e'],
  ['LEFT-TO-RIGHT EMBEDDING', '\u202a'],
  ['FIRST STRONG ISOLATE', '\u2068'],
  ['RIGHT-TO-LEFT MARK', '\u200f'],
  ['ARABIC LETTER MARK', '\u061c'],
  ['ZERO WIDTH SPACE', '\u200b'],
  ['ZERO WIDTH JOINER', '\u200d'],
  ['WORD JOINER', '\u2060'],
  ['BOM / ZERO WIDTH NO-BREAK SPACE', '\ufeff'],
];

describe('names and free text', () => {
  let s;
  let alice;
  let aliceToken;

  before(async () => {
    s = await h.startServer();
    alice = await s.createUser({ username: 'alice', password: 'Al1ce-secret', email: 'alice@example.com' });
    aliceToken = (await s.login('alice', 'Al1ce-secret')).access_token;
  });
  after(async () => { if (s) await s.stop(); });

  const patch = (body) => s.api('PATCH', `/api/v2/user/${alice.id}/`, { token: aliceToken, body });
  const patchForm = (form) => s.api('PATCH', `/api/v2/user/${alice.id}/`, { token: aliceToken, form });
  const readAlice = async () => {
    const r = await s.api('GET', `/api/v2/user/${alice.id}/`, { token: aliceToken });
    expectStatus(r, 200);
    return r.body;
  };

  it('a clean name is stored and returned as sent', async () => {
    const r = await patch({ real_name: 'Alice Liddell', location: 'Oxford', description: 'Curious' });
    expectStatus(r, 200);
    assert.equal(r.body.real_name, 'Alice Liddell');
  });

  for (const field of ['real_name', 'location', 'description', 'bio']) {
    for (const [what, ch] of FORBIDDEN) {
      it(`${field}: ${what} is refused (400 on ${field}), the profile unchanged`, async () => {
        const before = await readAlice();
        const r = await patch({ [field]: `Ali${ch}ce` });
        expectFieldError(r, 400, field, 'invalid');
        const msg = r.body.errors.find((e) => e.field === field).messages[0].message;
        assert.match(msg, /not allowed/);
        assert.deepEqual(await readAlice(), before, 'a refused update must change nothing');
      });
    }
  }

  it('the refusal names the field and leaves the other fields of the request unapplied', async () => {
    const before = await readAlice();
    const r = await patch({ real_name: 'evil\u202eeman', location: 'Somewhere else' });
    expectFieldError(r, 400, 'real_name', 'invalid');
    assert.equal(r.body.errors.length, 1, JSON.stringify(r.body));
    assert.deepEqual(await readAlice(), before);
  });

  it('the same rule through a form body', async () => {
    const before = await readAlice();
    expectFieldError(await patchForm({ real_name: 'A\u0007B' }), 400, 'real_name', 'invalid');
    expectFieldError(await patchForm({ location: 'x\u200dy' }), 400, 'location', 'invalid');
    assert.deepEqual(await readAlice(), before);
  });

  it('a decomposed é is stored and returned as NFC', async () => {
    const decomposed = 'Rene\u0301e Lo\u0301pez';
    const r = await patch({ real_name: decomposed, location: 'Sa\u0303o Paulo', bio: 'Cafe\u0301' });
    expectStatus(r, 200);
    assert.equal(r.body.real_name, 'Ren\u00e9e L\u00f3pez');
    assert.equal(r.body.location, 'S\u00e3o Paulo');
    assert.equal(r.body.bio, 'Caf\u00e9');
    const back = await readAlice();
    assert.equal(back.real_name, 'Ren\u00e9e L\u00f3pez');
    assert.equal(back.real_name, decomposed.normalize('NFC'));
    // found by either spelling
    for (const q of ['Ren\u00e9e', 'Rene\u0301e']) {
      const found = await s.api('GET', `/api/v2/user/?real_name=${encodeURIComponent(q)}`, { token: aliceToken });
      expectStatus(found, 200);
      assert.deepEqual(found.body.results.map((u) => u.id), [alice.id], q);
    }
  });

  it('lengths are counted after NFC: 255 decomposed é (510 code points) fit real_name', async () => {
    const r = await patch({ real_name: 'e\u0301'.repeat(255) });
    expectStatus(r, 200);
    assert.equal(r.body.real_name, '\u00e9'.repeat(255));
  });

  it('a line break is accepted in description and bio, not in real_name or location', async () => {
    let r = await patch({ description: 'two\nlines', bio: 'one\ntwo\nthree' });
    expectStatus(r, 200);
    assert.equal(r.body.description, 'two\nlines');
    assert.equal(r.body.bio, 'one\ntwo\nthree');
    const before = await readAlice();
    expectFieldError(await patch({ real_name: 'two\nlines' }), 400, 'real_name', 'invalid');
    expectFieldError(await patch({ location: 'two\nlines' }), 400, 'location', 'invalid');
    assert.deepEqual(await readAlice(), before);
    // a form's CR LF is stored as LF; a lone CR is a control character
    r = await patchForm({ description: 'crlf\r\nline' });
    expectStatus(r, 200);
    assert.equal(r.body.description, 'crlf\nline');
    expectFieldError(await patch({ bio: 'lone\rcr' }), 400, 'bio', 'invalid');
  });

  it('surrounding whitespace (tabs, line breaks) is trimmed, not refused', async () => {
    const r = await patch({ real_name: '\t Alice \n' });
    expectStatus(r, 200);
    assert.equal(r.body.real_name, 'Alice');
  });

  it('signup: a username with a control, bidirectional or zero-width character is refused', async () => {
    for (const [what, ch] of FORBIDDEN) {
      const r = await s.api('POST', '/api/v2/sso/signup/', { token: s.admin.token, body: { username: `bad${ch}name` } });
      expectFieldError(r, 400, 'username', 'invalid');
      const gone = await s.api('GET', `/api/v2/user/?username=${encodeURIComponent('badname')}`, { token: s.admin.token });
      expectStatus(gone, 200);
      assert.equal(gone.body.count, 0, what);
    }
    const ok = await s.api('POST', '/api/v2/sso/signup/', { token: s.admin.token, body: { username: 'good_name-1' } });
    expectStatus(ok, 201);
  });

  it('usernames stay ASCII and are unique whatever their case', async () => {
    expectFieldError(await s.api('POST', '/api/v2/sso/signup/', { token: s.admin.token, body: { username: 'Ren\u00e9e' } }),
      400, 'username', 'invalid');
    expectFieldError(await s.api('POST', '/api/v2/sso/signup/', { token: s.admin.token, body: { username: 'ALICE' } }),
      400, 'username', 'unique');
  });
});
